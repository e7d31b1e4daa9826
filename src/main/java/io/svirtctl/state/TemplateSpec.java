package io.svirtctl.state;

import java.util.List;
import java.util.Optional;

/**
 * The desired sVirt template ({@code TEMPLATE.qemu}). Either the whole {@code content}, or header
 * {@code flags} and/or a managed block of {@code rules}; never both kinds. An absent part is not
 * managed.
 */
public record TemplateSpec(
    Optional<String> content, Optional<List<String>> flags, Optional<List<String>> rules) {

  public TemplateSpec {
    flags = flags.map(List::copyOf);
    rules = rules.map(List::copyOf);
    if (content.isPresent() && (flags.isPresent() || rules.isPresent())) {
      throw new IllegalArgumentException("template content excludes flags and rules");
    }
  }
}
