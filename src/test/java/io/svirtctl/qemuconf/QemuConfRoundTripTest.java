package io.svirtctl.qemuconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.svirtctl.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every qemu.conf-like fixture libvirt accepts parses, keeps its bytes through no-op and
 * add-then-remove edits, and (where libvirt recorded its own serialisation) is read with the
 * same values, comments and order as libvirt reads it.
 */
class QemuConfRoundTripTest {

  private static final QemuValue PROBE = QemuValue.Int.of(1);

  @TestFactory
  Stream<DynamicTest> fixturesRoundTripByteForByte() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Fixtures.path("libvirt/debian12-9.0.0/etc/libvirt/qemu.conf"));
    files.add(Fixtures.path("libvirt/upstream-11.3.0/qemu.conf.in"));
    files.addAll(list(Fixtures.path("libvirt/virconfdata"), ".conf"));
    for (Path p : list(Fixtures.path("libvirt/virconf-edge/cases"), ".conf")) {
      String name = p.getFileName().toString().replace(".conf", "");
      if (Files.exists(Fixtures.path("libvirt/virconf-edge").resolve("roundtrip/" + name + ".out"))) {
        files.add(p);
      }
    }
    assertThat(files).hasSizeGreaterThan(40);
    return files.stream()
        .map(p -> dynamicTest(Fixtures.root().relativize(p).toString(), () -> roundTrip(p)));
  }

  private static void roundTrip(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    String text = new String(bytes, StandardCharsets.UTF_8);
    QemuConfDocument doc = QemuConfDocument.parse(p.toString(), text);
    assertThat(doc.text().getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);

    // Setting every key to the value it already has changes nothing.
    QemuConfDocument same = doc;
    for (String key : doc.keys()) {
      if (doc.occurrences(key) == 1) {
        same = same.set(key, doc.get(key).orElseThrow());
      }
    }
    assertThat(same.text()).isEqualTo(text);

    // Adding a key and removing it again gives back the original bytes (plus the final line
    // break the addition needed, for a file without one).
    String probe = "svirtctl_probe";
    QemuConfDocument added = doc.set(probe, PROBE);
    assertThat(added.text()).startsWith(text);
    assertThat(added.get(probe)).contains(PROBE);
    boolean endsWithEol = text.isEmpty() || text.endsWith("\n") || text.endsWith("\r");
    String back = added.unset(probe).text();
    assertThat(back).isEqualTo(endsWithEol ? text : text + "\n");
  }

  @TestFactory
  Stream<DynamicTest> valuesAgreeWithLibvirtsOwnSerialisation() throws IOException {
    List<Path[]> pairs = new ArrayList<>();
    for (Path conf : list(Fixtures.path("libvirt/virconfdata"), ".conf")) {
      pairs.add(new Path[] {conf, Path.of(conf.toString().replace(".conf", ".out"))});
    }
    Path edge = Fixtures.path("libvirt/virconf-edge");
    for (Path out : list(edge.resolve("roundtrip"), ".out")) {
      String name = out.getFileName().toString().replace(".out", ".conf");
      pairs.add(new Path[] {edge.resolve("cases").resolve(name), out});
    }
    assertThat(pairs).hasSizeGreaterThan(40);
    return pairs.stream()
        .map(
            pair ->
                dynamicTest(
                    pair[0].getFileName().toString(),
                    () -> {
                      QemuConfDocument doc =
                          QemuConfDocument.parse(pair[0].toString(), Files.readString(pair[0]));
                      assertThat(LibvirtWriter.write(doc)).isEqualTo(Files.readString(pair[1]));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> getReadsLibvirtsValues() throws IOException {
    // libvirt's serialisation is in the subset every reader agrees on; reading it back with our
    // parser and comparing key by key checks get() against libvirt's values, not our writer.
    Path edge = Fixtures.path("libvirt/virconf-edge");
    List<Path> outs = new ArrayList<>(list(edge.resolve("roundtrip"), ".out"));
    outs.addAll(list(Fixtures.path("libvirt/virconfdata"), ".out"));
    return outs.stream()
        .map(
            out ->
                dynamicTest(
                    out.getFileName().toString(),
                    () -> {
                      Path conf =
                          out.getParent().getFileName().toString().equals("roundtrip")
                              ? edge.resolve("cases")
                                  .resolve(out.getFileName().toString().replace(".out", ".conf"))
                              : Path.of(out.toString().replace(".out", ".conf"));
                      QemuConfDocument ours =
                          QemuConfDocument.parse(conf.toString(), Files.readString(conf));
                      QemuConfDocument libvirts =
                          QemuConfDocument.parse(out.toString(), Files.readString(out));
                      assertThat(ours.keys()).isEqualTo(libvirts.keys());
                      for (String key : ours.keys()) {
                        assertThat(ours.get(key).map(QemuConfRoundTripTest::unsigned))
                            .as(key)
                            .isEqualTo(libvirts.get(key).map(QemuConfRoundTripTest::unsigned));
                        assertThat(ours.occurrences(key)).isEqualTo(libvirts.occurrences(key));
                      }
                    }));
  }

  /**
   * The value without the sign flag of integers: libvirt prints a signed zero ("-0") as "0", so
   * its serialisation keeps every integer's value but not that flag.
   */
  private static QemuValue unsigned(QemuValue v) {
    if (v instanceof QemuValue.Int i) {
      return new QemuValue.Int(i.value(), false);
    }
    if (v instanceof QemuValue.Lst l) {
      return new QemuValue.Lst(l.items().stream().map(QemuConfRoundTripTest::unsigned).toList());
    }
    return v;
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }
}
