package org.aioemu.core.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds an ABI's shim library and include directory on the class path (native/ABI/ in the ABI
 * module's jar, or its target/classes when run from the source tree). Inside a jar they are
 * extracted once into a cache directory named by their content hash, so concurrent runs and
 * different builds never share a half-written or stale copy.
 */
public final class ShimArtifacts {
    private ShimArtifacts() {}

    /** The library file and the directory to add with -I. */
    public record Located(Path library, Path include) {
        public Path libraryDir() { return library.getParent(); }
    }

    public static Located locate(ShimAbi abi) {
        String base = "native/" + abi.id() + "/";
        URL lib = ShimArtifacts.class.getClassLoader().getResource(base + abi.libraryFile());
        if (lib == null) {
            throw new IllegalStateException("the " + abi.id() + " shim (" + base + abi.libraryFile() + ") is not in this build of aioemu: rebuild with gcc installed");
        }
        try {
            if (lib.getProtocol().equals("file")) {
                Path dir = Path.of(lib.toURI()).getParent();
                return new Located(dir.resolve(abi.libraryFile()), dir.resolve("include"));
            }
            if (lib.getProtocol().equals("jar")) return extract(abi, lib, base);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the " + abi.id() + " shim from " + lib + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("cannot use the " + abi.id() + " shim at " + lib);
    }

    private static Located extract(ShimAbi abi, URL lib, String base) throws IOException, URISyntaxException {
        String spec = lib.toURI().getSchemeSpecificPart();          // file:/…/aioemu-cli.jar!/native/…
        Path jar = Path.of(java.net.URI.create(spec.substring(0, spec.indexOf("!/"))));
        try (FileSystem fs = FileSystems.newFileSystem(jar)) {
            Path root = fs.getPath("/" + base);
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                sha.update(root.relativize(f).toString().getBytes());
                sha.update(Files.readAllBytes(f));
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Path dest = cacheRoot().resolve(abi.id() + "-" + hash);
            if (!Files.isRegularFile(dest.resolve(abi.libraryFile()))) {
                Path tmp = Files.createDirectories(cacheRoot()).resolve(".tmp-" + abi.id() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
                for (Path f : files) {
                    Path out = tmp.resolve(root.relativize(f).toString());
                    Files.createDirectories(out.getParent());
                    try (InputStream in = Files.newInputStream(f)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                tmp.resolve(abi.libraryFile()).toFile().setExecutable(true);
                try {
                    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {            // another run put the same content there first
                    deleteTree(tmp);
                }
            }
            return new Located(dest.resolve(abi.libraryFile()), dest.resolve("include"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("aioemu").resolve("native");
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
