package org.aioemu.core.bridge;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.aioemu.core.ExitPolicy;

/**
 * What a program needs in its environment to run on aioemu: the shim preloaded (with libjsig, so
 * its own signal handlers chain with the JVM's), and what the shim hands the JVM it starts (the
 * JDK, the class path, the exit policy, the trace file). Tests use it to run programs with their
 * own ProcessBuilder.
 */
public record ExecEnvironment(ShimAbi abi, Path javaHome, String classPath, Path library, ExitPolicy exitPolicy, Path record,
                              Path aotCache) {

    /** The shim of {@code abi} from this build, this JDK and this class path; no AOT cache. */
    public static ExecEnvironment of(ShimAbi abi, ExitPolicy policy, Path record) {
        return new ExecEnvironment(abi, HostTools.javaHome(), System.getProperty("java.class.path"),
                ShimArtifacts.locate(abi).library(), policy, record, null);
    }

    /** The same with a JDK AOT cache for the JVM inside the program (null: none). */
    public ExecEnvironment withAotCache(Path cache) {
        return new ExecEnvironment(abi, javaHome, classPath, library, exitPolicy, record, cache);
    }

    /** Adds the variables to {@code env} (a ProcessBuilder's environment). */
    public void applyTo(Map<String, String> env) {
        String preload = library + ":" + HostTools.libjsig(javaHome);
        String existing = env.get("LD_PRELOAD");
        env.put("LD_PRELOAD", existing == null || existing.isBlank() ? preload : preload + ":" + existing);
        env.put("AIOEMU_JAVA_HOME", javaHome.toString());
        env.put("AIOEMU_CLASSPATH", classPath);
        env.put("_JAVA_SR_SIGNUM", "64");   // the JVM's suspend signal where programs are least likely to look (§5)
        if (exitPolicy != null) env.put("AIOEMU_EXIT_POLICY", cliName(exitPolicy));
        if (aotCache != null) env.put("AIOEMU_AOT_CACHE", aotCache.toString());
        if (record != null) env.put("AIOEMU_RECORD", record.toAbsolutePath().toString());
        else env.remove("AIOEMU_RECORD");
    }

    /** A ProcessBuilder for {@code command} with this environment. */
    public ProcessBuilder processBuilder(java.util.List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        applyTo(pb.environment());
        return pb;
    }

    public static String cliName(ExitPolicy p) {
        return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
