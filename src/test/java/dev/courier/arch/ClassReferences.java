package dev.courier.arch;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The types a compiled class refers to, read from its constant pool: class entries and every type
 * named in a field, method or lambda descriptor or a generic signature. Scanning bytecode rather
 * than source catches fully qualified names and inherited types that an import list does not show;
 * string literals are left out, so a class may still mention "java.net" in a log message.
 */
final class ClassReferences {
  /** An internal type name inside a descriptor or signature: {@code Ljava/nio/file/Path;}. */
  private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([\\w/$]+)[;<]");

  private ClassReferences() {
  }

  /** Every type (dotted name) referred to by each class file under {@code dir}, keyed by file. */
  static List<String> violations(Path dir, List<String> forbiddenPrefixes) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        for (String type : of(file)) {
          if (forbiddenPrefixes.stream().anyMatch(type::startsWith)) {
            found.add(dir.relativize(file) + " -> " + type);
          }
        }
      }
    }
    return found;
  }

  /** The types {@code classFile} refers to, as dotted names. */
  static Set<String> of(Path classFile) throws IOException {
    try (InputStream in = Files.newInputStream(classFile)) {
      return read(new DataInputStream(in));
    }
  }

  private static Set<String> read(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    Set<Integer> classNames = new HashSet<>();
    Set<Integer> literals = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNames.add(in.readUnsignedShort());
        case 8 -> literals.add(in.readUnsignedShort());
        case 16, 19, 20 -> in.readUnsignedShort(); // method type (descriptor is also utf8), module, package
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // longs and doubles take two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    Set<String> types = new TreeSet<>();
    for (int index : classNames) {
      String name = utf8[index];
      // Array classes appear as descriptors: [Ljava/io/File;
      types.add(name.startsWith("[") ? name.replaceAll("^\\[+L?|;$", "") : name);
    }
    for (int i = 1; i < count; i++) {
      if (utf8[i] != null && !literals.contains(i) && !classNames.contains(i)) {
        Matcher matcher = DESCRIPTOR_TYPE.matcher(utf8[i]);
        while (matcher.find()) {
          types.add(matcher.group(1));
        }
      }
    }
    Set<String> dotted = new TreeSet<>();
    types.forEach(t -> dotted.add(t.replace('/', '.')));
    return dotted;
  }
}
