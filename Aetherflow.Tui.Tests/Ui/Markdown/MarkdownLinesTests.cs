using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Markdown;

namespace Aetherflow.Tui.Tests.Ui.Markdown;

public sealed class MarkdownLinesTests
{
    private static readonly Theme Theme = Theme.Create(color: true);

    [Test]
    public void Renders_headings_paragraphs_lists_code_and_quotes()
    {
        string markdown = "# Goal\n\nMake **it** _work_ with `code`.\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n```\nvar x = 1;\n```\n\n> quoted\n\n---\n\nSee [docs](https://example.com).";

        string text = MarkdownLines.PlainText(MarkdownLines.Render(markdown, Theme));

        Assert.That(text, Is.EqualTo(string.Join(Environment.NewLine,
        [
            "Goal",
            "",
            "Make it work with code.",
            "",
            "• one",
            "• two",
            "  • nested",
            "",
            "1. first",
            "2. second",
            "",
            "  var x = 1;",
            "",
            "│ quoted",
            "",
            "────────",
            "",
            "See docs (https://example.com).",
            "",
        ])));
    }

    [Test]
    public void Nothing_in_the_text_survives_as_a_control_character()
    {
        string text = MarkdownLines.PlainText(MarkdownLines.Render("a &#27;[2J b \u001b]0;t\u0007 c", Theme));

        Assert.That(text.Where(char.IsControl).Except(['\r', '\n']), Is.Empty);
    }

    [Test]
    public void Empty_text_renders_nothing() => Assert.That(MarkdownLines.Render("  \n", Theme), Is.Empty);
}
