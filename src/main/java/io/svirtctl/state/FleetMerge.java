package io.svirtctl.state;

import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The merge rule of a Fleet: a later layer's mappings are merged key by key into the earlier
 * one's; anything else (lists, scalars, null) replaces it. Merged nodes keep the position where
 * each value was written, so diagnostics point at the right line.
 */
final class FleetMerge {

  private FleetMerge() {}

  /** {@code over} laid on {@code base}. */
  static YNode merge(YNode base, YNode over) {
    if (!(base instanceof YMap b) || !(over instanceof YMap o)) {
      return over;
    }
    Map<String, Entry> out = new LinkedHashMap<>(b.entries());
    for (Map.Entry<String, Entry> kv : o.entries().entrySet()) {
      Entry mine = kv.getValue();
      Entry theirs = out.get(kv.getKey());
      out.put(
          kv.getKey(),
          theirs == null ? mine : new Entry(mine.keyLocation(), merge(theirs.value(), mine.value())));
    }
    return new YMap(o.location(), out);
  }

  /** Whether {@code host} matches a glob with {@code *}, {@code ?} and {@code [...]} classes. */
  static boolean matches(String glob, String host) {
    return toRegex(glob).matcher(host).matches();
  }

  private static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int end = glob.indexOf(']', i + 2);
        String body = glob.substring(i + 1, end);
        boolean negate = body.startsWith("!");
        re.append('[').append(negate ? "^" : "");
        for (char k : (negate ? body.substring(1) : body).toCharArray()) {
          // Letters, digits and ranges pass through; anything else is matched literally.
          re.append(Character.isLetterOrDigit(k) || k == '-' ? String.valueOf(k) : "\\" + k);
        }
        re.append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
