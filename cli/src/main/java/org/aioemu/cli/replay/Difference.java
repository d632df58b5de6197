package org.aioemu.cli.replay;

/** A call whose replay did not give what the trace recorded. */
public record Difference(int line, String call, String recorded, String replayed, String detail) {
    @Override
    public String toString() {
        return "line " + line + " " + call + ": recorded " + recorded + ", replayed " + replayed
                + (detail == null ? "" : " (" + detail + ")");
    }
}
