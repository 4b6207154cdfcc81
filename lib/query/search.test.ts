import { describe, expect, it } from "vitest";
import { focusSnippetHtml, safeSnippetHtml, searchHitHref } from "./search";

describe("search snippets", () => {
  it("keep the server's marks and entities", () => {
    const html = "a &#60;b&#62; <mark>quetzalcoatl</mark> &#38; co";
    expect(safeSnippetHtml(html)).toBe(html);
  });

  it("can hold no other element, whatever the server sends", () => {
    const out = safeSnippetHtml('<img src=x onerror="alert(1)"><mark>hit</mark><script>x</script><mark class="a">y</mark>');
    expect(out).toBe(
      '&lt;img src=x onerror="alert(1)"&gt;<mark>hit</mark>&lt;script&gt;x&lt;/script&gt;&lt;mark class="a"&gt;y</mark>',
    );
    expect(out.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });

  it("start a few words before the first match when it is far in", () => {
    const far = `${"word ".repeat(30)}&#38;&#38; <mark>hit</mark> tail`;
    const out = focusSnippetHtml(far);
    expect(out.startsWith("…")).toBe(true);
    expect(out).toContain("&#38;&#38; <mark>hit</mark> tail");
    expect(out.indexOf("<mark>")).toBeLessThan(45);
    expect(focusSnippetHtml("short <mark>hit</mark>")).toBe("short <mark>hit</mark>");
  });

  it("open the conversation at the matching message", () => {
    expect(searchHitHref({ conversation_id: "c1", message_id: "m1" })).toBe("/chat/c1?m=m1");
    expect(searchHitHref({ conversation_id: "c1", message_id: null })).toBe("/chat/c1");
  });
});
