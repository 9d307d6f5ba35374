package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds, reads and parses config files. Shared by the watching file source and {@code meshgate validate}.
 * <ul>
 * <li>A path named explicitly is read whatever its extension.</li>
 * <li>Directories are walked recursively (following symlinks) for {@code *.yaml}, {@code *.yml}, {@code *.json}.</li>
 * <li>Names starting with a dot are skipped inside directories: hidden files, editor swap files, {@code .git}, and
 *     the {@code ..data} / {@code ..2026_01_01_...} internals of a Kubernetes ConfigMap volume. The visible
 *     {@code x.yaml -> ..data/x.yaml} links of such a volume are read through the symlinks.</li>
 * <li>Dangling symlinks are skipped: a ConfigMap key that was just removed leaves one for a moment.</li>
 * </ul>
 * Files are read in path order, so the "first" of two duplicates is well defined.
 */
public final class ConfigFiles {

    /** Larger files are refused unread; far above any real config, far below what hurts the heap. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private ConfigFiles() {
    }

    /**
     * @param files       config files in read order, named as reached from the roots
     * @param directories every directory walked, plus the parent of each root file: what to watch
     */
    public record Scan(List<Path> files, Set<Path> directories, List<Diagnostic> diagnostics) {
    }

    /** One file's text, named as diagnostics will name it. */
    public record FileText(String name, String text) {
    }

    /**
     * @param fingerprint hex SHA-256 over names, texts and read errors: equal fingerprints, equal input
     */
    public record Contents(List<FileText> files, List<Diagnostic> diagnostics, String fingerprint) {
    }

    public static Scan scan(List<Path> roots) {
        Map<Path, Path> files = new LinkedHashMap<>();
        Set<Path> dirs = new LinkedHashSet<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                walk(root, files, dirs, diagnostics);
            } else if (Files.isRegularFile(root)) {
                files.putIfAbsent(identity(root), root);
                Path parent = root.toAbsolutePath().getParent();
                if (parent != null) {
                    dirs.add(parent);
                }
            } else if (Files.exists(root)) {
                diagnostics.add(Diagnostic.error(root.toString(), 0, null, null, "not a regular file or directory"));
            } else {
                diagnostics.add(Diagnostic.error(root.toString(), 0, null, null, "no such file or directory"));
            }
        }
        List<Path> ordered = new ArrayList<>(files.values());
        return new Scan(List.copyOf(ordered), Set.copyOf(dirs), List.copyOf(diagnostics));
    }

    private static void walk(Path root, Map<Path, Path> files, Set<Path> dirs, List<Diagnostic> diagnostics) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(root) && hidden(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            dirs.add(dir);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            // a dangling symlink arrives with the link's own attributes: not regular, skipped
                            if (attrs.isRegularFile() && !hidden(file) && configExtension(file)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (e instanceof FileSystemLoopException || e instanceof NoSuchFileException) {
                                return FileVisitResult.CONTINUE; // a link cycle, or gone while walking
                            }
                            if (!hidden(file)) {
                                diagnostics.add(Diagnostic.error(file.toString(), 0, null, null,
                                        "cannot read: " + describe(e)));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(root.toString(), 0, null, null, "cannot read: " + describe(e)));
        }
        if (found.isEmpty()) {
            diagnostics.add(Diagnostic.warning(root.toString(), 0, null, null,
                    "no *.yaml, *.yml or *.json files in this directory"));
        }
        found.sort(null);
        for (Path f : found) {
            files.putIfAbsent(identity(f), f);
        }
    }

    /** Reads every scanned file as UTF-8. A file that cannot be read becomes an error, never an exception. */
    public static Contents read(Scan scan) {
        List<FileText> texts = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>(scan.diagnostics());
        MessageDigest md = sha256();
        for (Path file : scan.files()) {
            String name = file.toString();
            try {
                long size = Files.size(file);
                if (size > MAX_FILE_BYTES) {
                    diagnostics.add(Diagnostic.error(name, 0, null, null,
                            "file is " + size + " bytes; the limit is " + MAX_FILE_BYTES));
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                md.update(name.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(bytes);
                md.update((byte) 0);
                texts.add(new FileText(name, utf8(bytes)));
            } catch (CharacterCodingException e) {
                diagnostics.add(Diagnostic.error(name, 0, null, null, "not UTF-8 text"));
            } catch (NoSuchFileException e) {
                // removed between scan and read: the watcher sees the deletion and reads again
                diagnostics.add(Diagnostic.error(name, 0, null, null, "no such file or directory"));
            } catch (IOException e) {
                diagnostics.add(Diagnostic.error(name, 0, null, null, "cannot read: " + describe(e)));
            }
        }
        for (Diagnostic d : diagnostics) {
            md.update(d.format().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return new Contents(List.copyOf(texts), List.copyOf(diagnostics), HexFormat.of().formatHex(md.digest()));
    }

    /** Parses every file; read errors come first in the result. */
    public static FileParser.Parsed parse(Contents contents, FileParser parser) {
        List<Resource<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>(contents.diagnostics());
        for (FileText f : contents.files()) {
            FileParser.Parsed p = parser.parse(f.name(), f.text());
            resources.addAll(p.resources());
            diagnostics.addAll(p.diagnostics());
        }
        return new FileParser.Parsed(resources, diagnostics);
    }

    /** Scan, read and parse in one go, for one-shot use such as {@code meshgate validate}. */
    public static FileParser.Parsed load(List<Path> roots, FileParser parser) {
        return parse(read(scan(roots)), parser);
    }

    static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    static boolean configExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static Path identity(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        String s = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s; // a BOM is not content
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
