package io.datahose.archiver.archive;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PresentationML (Symphony's XHTML message format) to searchable plain text: tags removed (block tags
 * become a space so words of two paragraphs do not run together), the entities {@code &amp; &lt; &gt;
 * &quot; &apos; &#39; &nbsp; &#NNN; &#xHH;} decoded, whitespace collapsed. Hand-written on purpose: the input is
 * well-formed XHTML produced by the pod, and the archive keeps the original PresentationML next to the text.
 * Pure and thread-safe.
 */
final class PlainText {

  private static final Pattern TAG = Pattern.compile("<\\s*(/?)\\s*([a-zA-Z0-9]*)[^>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Set<String> BLOCK = Set.of("div", "p", "br", "li", "ul", "ol", "tr", "td", "th", "table",
      "thead", "tbody", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "card", "header", "body", "pre",
      "blockquote", "img", "input", "select", "option", "textarea", "button", "form");

  private PlainText() {
  }

  /** @return the text of {@code presentationMl}; null for null */
  static String of(String presentationMl) {
    if (presentationMl == null) {
      return null;
    }
    Matcher tags = TAG.matcher(presentationMl.replaceAll("(?s)<!--.*?-->", ""));
    StringBuilder out = new StringBuilder(presentationMl.length());
    while (tags.find()) {
      String replacement = BLOCK.contains(tags.group(2).toLowerCase()) ? " " : "";
      tags.appendReplacement(out, replacement);
    }
    tags.appendTail(out);
    return SPACE.matcher(decode(out.toString())).replaceAll(" ").trim();
  }

  /** Decodes XML/HTML character references; unknown named entities are left as written. */
  static String decode(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher entities = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (entities.find()) {
      entities.appendReplacement(out, Matcher.quoteReplacement(entity(entities.group(1), entities.group())));
    }
    entities.appendTail(out);
    return out.toString();
  }

  private static String entity(String name, String whole) {
    if (name.startsWith("#")) {
      boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
      int code = Integer.parseInt(hex ? name.substring(2) : name.substring(1), hex ? 16 : 10);
      return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : whole;
    }
    return switch (name) {
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      case "nbsp" -> " ";
      default -> whole;
    };
  }
}
