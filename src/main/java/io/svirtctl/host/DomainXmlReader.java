package io.svirtctl.host;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses one domain document and takes the domain's name and UUID: a persistent domain XML
 * ({@code <domain>} at the root) or libvirt's status XML of a running guest ({@code <domstatus
 * state='running'>} around the {@code <domain>}). Listing the directories is the snapshot
 * reader's job.
 *
 * <p>The streaming parser runs with DTDs and external entities off: a {@code DOCTYPE} is refused
 * where it stands, so no entity or external DTD is ever resolved (a file under the root must not
 * make svirtctl read other files).
 */
public final class DomainXmlReader {

  private static final String DOMAIN = "domain";
  private static final String STATUS = "domstatus";

  private final XMLInputFactory factory;

  /** A reader for many documents: making the secure factory costs more than a small parse. */
  public DomainXmlReader() {
    factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
  }

  /**
   * Parses one persistent domain XML document (for example the one libvirt gives a hook on
   * standard input).
   *
   * @param logicalFile the path recorded in the result
   * @param shownName the file name diagnostics print
   * @throws InvalidInputException when it is not a well-formed {@code <domain>} with a name and
   *     a UUID
   */
  public static DomainDefinition parse(byte[] xml, Path logicalFile, String shownName) {
    return new DomainXmlReader().definition(xml, logicalFile, shownName);
  }

  /** As {@link #parse}, reusing this reader's factory. */
  public DomainDefinition definition(byte[] xml, Path logicalFile, String shownName) {
    return read(xml, logicalFile, shownName, false).domain();
  }

  /**
   * Parses one status XML document: {@code <domstatus state='...'>} around a {@code <domain>}.
   *
   * @throws InvalidInputException when it is not one, naming the file, line and column
   */
  public RunningDomain status(byte[] xml, Path logicalFile, String shownName) {
    return read(xml, logicalFile, shownName, true);
  }

  private RunningDomain read(byte[] xml, Path logicalFile, String shownName, boolean status) {
    Document doc = new Document(shownName, status);
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.DTD) {
          throw new InvalidInputException(
              doc.at(r.getLocation()),
              "a DOCTYPE is not allowed in domain XML (svirtctl never loads DTDs or entities)");
        } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
          throw new InvalidInputException(
              doc.at(r.getLocation()), "an entity reference is not allowed in domain XML");
        } else if (event == XMLStreamConstants.START_ELEMENT) {
          doc.start(r);
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
            || event == XMLStreamConstants.SPACE) {
          doc.text(r.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          doc.end();
        }
      }
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      throw new InvalidInputException(
          at == null ? SourceLocation.ofFile(shownName) : doc.at(at),
          "malformed domain XML: " + cleanMessage(e));
    } finally {
      close(r);
    }
    return doc.result(logicalFile);
  }

  /** The parser prefixes its message with the position, which the diagnostic already gives. */
  private static String cleanMessage(XMLStreamException e) {
    String m = String.valueOf(e.getMessage());
    int cut = m.indexOf("Message: ");
    return (cut >= 0 ? m.substring(cut + "Message: ".length()) : m).strip();
  }

  private static void close(XMLStreamReader r) {
    if (r == null) {
      return;
    }
    try {
      r.close();
    } catch (XMLStreamException e) {
      // The document is in memory: closing frees nothing that could fail meaningfully.
    }
  }

  /** What one document holds so far: the root, and the domain's {@code <name>} and {@code <uuid>}. */
  private static final class Document {
    private final String shownName;
    private final boolean status;
    private final int domainDepth;
    private int depth;
    private SourceLocation domainAt;
    private boolean inDomain;
    private Optional<String> state = Optional.empty();
    private StringBuilder capturing;
    private String capturingWhat;
    private SourceLocation capturingAt;
    private String name;
    private SourceLocation nameAt;
    private String uuid;
    private SourceLocation uuidAt;
    private final List<Seclabel> seclabels = new ArrayList<>();

    Document(String shownName, boolean status) {
      this.shownName = shownName;
      this.status = status;
      this.domainDepth = status ? 2 : 1;
    }

    SourceLocation at(Location l) {
      return new SourceLocation(
          shownName, Math.max(l.getLineNumber(), 0), Math.max(l.getColumnNumber(), 0));
    }

    void start(XMLStreamReader r) {
      depth++;
      String ns = r.getNamespaceURI() == null ? "" : r.getNamespaceURI();
      String local = r.getLocalName();
      SourceLocation here = at(r.getLocation());
      if (capturing != null) {
        throw new InvalidInputException(here, "<" + capturingWhat + "> must hold text only");
      }
      if (depth == 1) {
        String expected = status ? STATUS : DOMAIN;
        if (!ns.isEmpty() || !local.equals(expected)) {
          throw new InvalidInputException(
              here, "expected a <" + expected + "> element, found <" + qualified(r) + ">");
        }
        if (status) {
          state = Optional.ofNullable(r.getAttributeValue(null, "state"));
        }
      }
      if (depth == domainDepth && ns.isEmpty() && local.equals(DOMAIN) && domainAt == null) {
        domainAt = here;
        inDomain = true;
      } else if (depth == domainDepth + 1 && inDomain && ns.isEmpty() && local.equals("seclabel")) {
        String type = r.getAttributeValue(null, "type");
        seclabels.add(new Seclabel(type == null ? "" : type,
            Optional.ofNullable(r.getAttributeValue(null, "model")), here));
      } else if (depth == domainDepth + 1
          && inDomain
          && ns.isEmpty()
          && (local.equals("name") || local.equals("uuid"))) {
        if (local.equals("name") ? name != null : uuid != null) {
          throw new InvalidInputException(here, "a second <" + local + "> in <domain>");
        }
        capturing = new StringBuilder();
        capturingWhat = local;
        capturingAt = here;
      }
    }

    private static String qualified(XMLStreamReader r) {
      String prefix = r.getPrefix();
      return prefix == null || prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
    }

    void text(String t) {
      if (capturing != null) {
        capturing.append(t);
      }
    }

    void end() {
      if (capturing != null && depth == domainDepth + 1) {
        if (capturingWhat.equals("name")) {
          name = capturing.toString();
          nameAt = capturingAt;
        } else {
          uuid = capturing.toString();
          uuidAt = capturingAt;
        }
        capturing = null;
      }
      if (depth == domainDepth) {
        inDomain = false;
      }
      depth--;
    }

    RunningDomain result(Path logicalFile) {
      SourceLocation where = domainAt == null ? SourceLocation.ofFile(shownName) : domainAt;
      if (domainAt == null) {
        throw new InvalidInputException(where, "<domstatus> has no <domain>");
      }
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
          Uuid.parseLibvirt(uuid)
              .orElseThrow(
                  () -> new InvalidInputException(uuidAt, "not a UUID: '" + uuid.strip() + "'"));
      if (status && state.isEmpty()) {
        throw new InvalidInputException(
            SourceLocation.ofFile(shownName), "<domstatus> has no state attribute");
      }
      return new RunningDomain(
          new DomainDefinition(name, parsed, logicalFile, seclabels), state.orElse(""));
    }
  }
}
