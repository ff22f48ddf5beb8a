package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Random;

/**
 * Builds message content: PresentationML text with mentions, cashtags and hashtags, the matching EntityJSON
 * {@code data} string, attachments and occasional ~60 KB bodies. Deterministic for a given {@link Random}.
 */
final class Messages {

  private static final String[] WORDS = {"the", "deal", "closes", "today", "Grüße", "naïve", "über", "coût", "報告",
      "書", "ставка", "τιμή", "señal", "fixed", "income", "desk", "spread", "<tight>", "&", "quotes", "volume", "😀",
      "€", "risk", "limit", "client", "call", "résumé", "Größe", "approve", "order", "book"};
  private static final String[] TICKERS = {"AAPL", "MSFT", "IBM", "SAP", "BNP", "7203", "ÅSA"};
  private static final String[] HASHTAGS = {"earnings", "fx", "compliance", "rates", "équité", "市場"};
  private static final String[] FILES = {"Q3 résumé.pdf", "term-sheet.docx", "chart 📈.png", "Übersicht.xlsx"};

  /** Message text and its EntityJSON. */
  record Content(String presentationMl, String data) {
  }

  private final Random random;

  Messages(Random random) {
    this.random = random;
  }

  Content content(List<World.User> mentionable) {
    StringBuilder html = new StringBuilder("<div data-format=\"PresentationML\" data-version=\"2.0\" class=\"wysiwyg\"><p>");
    JsonObject entities = new JsonObject();
    int words = 3 + random.nextInt(20);
    for (int i = 0; i < words; i++) {
      html.append(escape(WORDS[random.nextInt(WORDS.length)])).append(' ');
      int roll = random.nextInt(30);
      String entityId = String.valueOf(entities.size());
      if (roll == 0 && !mentionable.isEmpty()) {
        World.User user = World.pick(random, mentionable);
        html.append("<span class=\"entity\" data-entity-id=\"").append(entityId).append("\">@")
            .append(escape(user.displayName())).append("</span> ");
        entities.put(entityId, entity("com.symphony.user.mention", "com.symphony.user.userId", user.userId()));
      } else if (roll == 1) {
        String ticker = TICKERS[random.nextInt(TICKERS.length)];
        html.append("<span class=\"entity\" data-entity-id=\"").append(entityId).append("\">$")
            .append(escape(ticker)).append("</span> ");
        entities.put(entityId, entity("org.symphonyoss.fin.security", "org.symphonyoss.fin.security.id.ticker", ticker));
      } else if (roll == 2) {
        String tag = HASHTAGS[random.nextInt(HASHTAGS.length)];
        html.append("<span class=\"entity\" data-entity-id=\"").append(entityId).append("\">#")
            .append(escape(tag)).append("</span> ");
        entities.put(entityId, entity("org.symphonyoss.taxonomy", "org.symphonyoss.taxonomy.hashtag", tag));
      }
    }
    html.append("</p>");
    if (random.nextInt(50) == 0) {
      appendLargeBody(html);
    }
    html.append("</div>");
    return new Content(html.toString(), entities.encode());
  }

  /** @return a form message (Symphony Elements) with id {@code formId} */
  String form(String formId) {
    return "<div data-format=\"PresentationML\" data-version=\"2.0\" class=\"wysiwyg\"><form id=\"" + formId
        + "\"><text-field name=\"ticker\" placeholder=\"Ticker\"/><text-field name=\"quantity\"/>"
        + "<textarea name=\"comment\">Commentaire</textarea><button name=\"submit\" type=\"action\">Envoyer</button>"
        + "</form></div>";
  }

  /** @return null (no attachments) most of the time, otherwise 1-2 attachments */
  JsonArray attachments(String streamId) {
    if (random.nextInt(10) != 0) {
      return null;
    }
    JsonArray attachments = new JsonArray();
    int count = 1 + random.nextInt(2);
    for (int i = 0; i < count; i++) {
      String name = FILES[random.nextInt(FILES.length)];
      String id = "internal_" + streamId + "%2F" + Ids.token(random, 22);
      JsonArray images = new JsonArray();
      if (name.endsWith(".png")) {
        images.add(new JsonObject().put("id", id + "_thumb").put("dimension", "600"));
      }
      attachments.add(new JsonObject().put("id", id).put("name", name).put("size", 1000L + random.nextInt(5_000_000))
          .put("images", images));
    }
    return attachments;
  }

  private void appendLargeBody(StringBuilder html) {
    int target = 58_000 + random.nextInt(4_000);
    int start = html.length();
    while (html.length() - start < target) {
      html.append("<p>");
      for (int i = 0; i < 40; i++) {
        html.append(escape(WORDS[random.nextInt(WORDS.length)])).append(' ');
      }
      html.append("</p>");
    }
  }

  private static JsonObject entity(String type, String idType, Object value) {
    return new JsonObject().put("type", type).put("version", "1.0")
        .put("id", new JsonArray().add(new JsonObject().put("type", idType).put("value", value)));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
