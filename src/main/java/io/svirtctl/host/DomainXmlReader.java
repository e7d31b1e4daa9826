package io.svirtctl.host;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the persistent domain XML files libvirt keeps in {@code <libvirtDir>/qemu/*.xml} (not its
 * subdirectories such as {@code autostart/}) and takes each domain's name and UUID.
 *
 * <p>The JDK parser runs with document type declarations refused, external entities, external DTDs
 * and XInclude off and secure processing on: a domain XML never needs any of them, and resolving
 * them would let a file under the root make svirtctl read other files.
 */
public final class DomainXmlReader {

  private static final String DISALLOW_DOCTYPE =
      "http://apache.org/xml/features/disallow-doctype-decl";

  private final HostLayout layout;

  public DomainXmlReader(HostLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /**
   * Every domain defined on the host, sorted by UUID.
   *
   * @throws InvalidInputException listing every malformed file, missing or bad name or UUID, and
   *     UUID or name defined by two files
   */
  public List<DomainDefinition> readAll() {
    Path logicalDir = new ManagedPaths(layout).domainXmlDir();
    Path realDir = layout.resolve(logicalDir);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(realDir, "*.xml")) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          names.add(entry.getFileName().toString());
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + realDir + ": " + e.getMessage(), e);
    }
    names.sort(Comparator.naturalOrder());

    List<Diagnostic> problems = new ArrayList<>();
    List<DomainDefinition> domains = new ArrayList<>();
    // One parser for every file: building a secure parser costs far more than parsing a small
    // domain XML, and hosts define thousands of guests. A reader parses again from a clean state.
    XMLReader xml = names.isEmpty() ? null : newReader();
    for (String name : names) {
      Path real = realDir.resolve(name);
      Optional<byte[]> bytes = HostReader.readReal(real, true);
      if (bytes.isEmpty()) {
        continue; // removed while we listed: libvirt undefined it
      }
      try {
        domains.add(parse(xml, bytes.get(), logicalDir.resolve(name), real.toString()));
      } catch (InvalidInputException e) {
        problems.addAll(e.diagnostics());
      }
    }
    problems.addAll(duplicates(domains));
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    domains.sort(Comparator.comparing(DomainDefinition::uuid));
    return List.copyOf(domains);
  }

  /**
   * Parses one domain XML document (for example the one libvirt gives a hook on standard input).
   *
   * @param logicalFile the path recorded in the result
   * @param shownName the file name diagnostics print
   */
  public static DomainDefinition parse(byte[] xml, Path logicalFile, String shownName) {
    return parse(newReader(), xml, logicalFile, shownName);
  }

  private static XMLReader newReader() {
    try {
      SAXParser parser = secureFactory().newSAXParser();
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return parser.getXMLReader();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
    }
  }

  private static DomainDefinition parse(
      XMLReader reader, byte[] xml, Path logicalFile, String shownName) {
    DomainHandler handler = new DomainHandler(shownName);
    try {
      reader.setContentHandler(handler);
      reader.setErrorHandler(handler);
      reader.setEntityResolver(handler);
      reader.setDTDHandler(handler);
      InputSource source = new InputSource(new ByteArrayInputStream(xml));
      source.setSystemId(shownName);
      reader.parse(source);
    } catch (SAXParseException e) {
      throw new InvalidInputException(
          new SourceLocation(
              shownName, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber(), 0)),
          describe(e));
    } catch (SAXException e) {
      throw new InvalidInputException(
          SourceLocation.ofFile(shownName), "malformed domain XML: " + e.getMessage());
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + shownName + ": " + e.getMessage(), e);
    }
    return handler.result(logicalFile);
  }

  private static String describe(SAXParseException e) {
    String message = String.valueOf(e.getMessage());
    // The parser's own wording names the feature URI whatever the locale.
    if (message.contains(DISALLOW_DOCTYPE)) {
      return "a DOCTYPE is not allowed in domain XML (svirtctl never loads DTDs or entities)";
    }
    return "malformed domain XML: " + message;
  }

  private static SAXParserFactory secureFactory()
      throws ParserConfigurationException, SAXException {
    SAXParserFactory factory = SAXParserFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setValidating(false);
    factory.setXIncludeAware(false);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature(DISALLOW_DOCTYPE, true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory;
  }

  private List<Diagnostic> duplicates(List<DomainDefinition> domains) {
    List<Diagnostic> problems = new ArrayList<>();
    Map<Uuid, DomainDefinition> byUuid = new HashMap<>();
    Map<String, DomainDefinition> byName = new HashMap<>();
    for (DomainDefinition d : domains) {
      DomainDefinition first = byUuid.putIfAbsent(d.uuid(), d);
      if (first != null) {
        problems.add(
            new Diagnostic(
                SourceLocation.ofFile(layout.resolve(d.file()).toString()),
                "domain uuid " + d.uuid() + " is also defined by " + layout.resolve(first.file())));
      }
      first = byName.putIfAbsent(d.name(), d);
      if (first != null) {
        problems.add(
            new Diagnostic(
                SourceLocation.ofFile(layout.resolve(d.file()).toString()),
                "domain name '"
                    + d.name()
                    + "' is also defined by "
                    + layout.resolve(first.file())));
      }
    }
    return problems;
  }

  /**
   * libvirt's UUID parser skips surrounding blanks and accepts dashes between any hex pairs; it
   * writes the canonical form, which is what svirtctl compares.
   */
  static Optional<Uuid> parseLibvirtUuid(String text) {
    String hex = text.strip().replace("-", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{32}")) {
      return Optional.empty();
    }
    return Optional.of(
        new Uuid(
            hex.substring(0, 8)
                + "-"
                + hex.substring(8, 12)
                + "-"
                + hex.substring(12, 16)
                + "-"
                + hex.substring(16, 20)
                + "-"
                + hex.substring(20)));
  }

  /** Collects the root element's {@code <name>} and {@code <uuid>} children and where they are. */
  private static final class DomainHandler extends DefaultHandler {
    private final String shownName;
    private Locator locator;
    private int depth;
    private SourceLocation rootAt;
    private StringBuilder capturing;
    private String capturingWhat;
    private SourceLocation capturingAt;
    private String name;
    private SourceLocation nameAt;
    private String uuid;
    private SourceLocation uuidAt;

    DomainHandler(String shownName) {
      this.shownName = shownName;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes)
        throws SAXException {
      depth++;
      SourceLocation here = here();
      if (depth == 1) {
        rootAt = here;
        if (!uri.isEmpty() || !localName.equals("domain")) {
          throw new InvalidInputException(
              here, "expected a <domain> element, found <" + qName + ">");
        }
      } else if (depth == 2
          && uri.isEmpty()
          && (localName.equals("name") || localName.equals("uuid"))) {
        if (localName.equals("name") ? name != null : uuid != null) {
          throw new InvalidInputException(here, "a second <" + localName + "> in <domain>");
        }
        capturing = new StringBuilder();
        capturingWhat = localName;
        capturingAt = here;
      } else if (capturing != null) {
        throw new InvalidInputException(here, "<" + capturingWhat + "> must hold text only");
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (capturing != null) {
        capturing.append(ch, start, length);
      }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      if (capturing != null && depth == 2) {
        if (capturingWhat.equals("name")) {
          name = capturing.toString();
          nameAt = capturingAt;
        } else {
          uuid = capturing.toString();
          uuidAt = capturingAt;
        }
        capturing = null;
      }
      depth--;
    }

    DomainDefinition result(Path logicalFile) {
      SourceLocation where = rootAt == null ? SourceLocation.ofFile(shownName) : rootAt;
      if (name == null) {
        throw new InvalidInputException(where, "<domain> has no <name>");
      }
      if (name.isBlank()) {
        throw new InvalidInputException(nameAt, "<name> is empty");
      }
      if (uuid == null) {
        throw new InvalidInputException(where, "<domain> has no <uuid>");
      }
      Uuid parsed =
          parseLibvirtUuid(uuid)
              .orElseThrow(
                  () -> new InvalidInputException(uuidAt, "not a UUID: '" + uuid.strip() + "'"));
      return new DomainDefinition(name, parsed, logicalFile);
    }

    private SourceLocation here() {
      if (locator == null) {
        return SourceLocation.ofFile(shownName);
      }
      return new SourceLocation(
          shownName, Math.max(locator.getLineNumber(), 0), Math.max(locator.getColumnNumber(), 0));
    }
  }
}
