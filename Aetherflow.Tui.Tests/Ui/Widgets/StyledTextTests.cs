using System.Text.RegularExpressions;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Tests.Ui.Widgets;

public sealed class StyledTextTests
{
    private static readonly Attribute Plain = new(Color.None, Color.None);
    private static readonly Attribute Marked = new(Color.Black, Color.Yellow);

    [Test]
    public void Lines_wrap_after_spaces_and_continue_at_the_indent()
    {
        List<IReadOnlyList<Segment>> rows = StyledText.Wrap(StyledText.From([new Segment("10:00:00 the quick brown fox jumps", Plain)], null, Marked), 20, 9);

        Assert.That(rows.Select(r => string.Concat(r.Select(s => s.Text))), Is.EqualTo(new[] { "10:00:00 the quick", "         brown fox", "         jumps" }));
    }

    [Test]
    public void A_word_longer_than_the_line_is_cut()
    {
        List<IReadOnlyList<Segment>> rows = StyledText.Wrap(StyledText.From([new Segment("abcdefghij", Plain)], null, Marked), 4, 0);

        Assert.That(rows.Select(r => string.Concat(r.Select(s => s.Text))), Is.EqualTo(new[] { "abcd", "efgh", "ij" }));
    }

    [Test]
    public void Wide_characters_count_two_columns()
    {
        List<IReadOnlyList<Segment>> rows = StyledText.Wrap(StyledText.From([new Segment("日本語テキスト", Plain)], null, Marked), 6, 0);

        Assert.That(rows.Select(r => string.Concat(r.Select(s => s.Text))), Is.EqualTo(new[] { "日本語", "テキス", "ト" }));
    }

    [Test]
    public void Matches_are_recoloured_across_segments()
    {
        IReadOnlyList<Segment> highlighted = StyledText.Highlight([new Segment("ab", Plain), new Segment("cd", Plain)], new Regex("bc"), Marked);

        Assert.That(highlighted.Select(s => (s.Text, s.Attribute == Marked)), Is.EqualTo(new[] { ("a", false), ("bc", true), ("d", false) }));
    }

    [Test]
    public void Fit_cuts_with_an_ellipsis_by_columns()
    {
        Assert.That(TextWidth.Fit("hello world", 6), Is.EqualTo("hello…"));
        Assert.That(TextWidth.Fit("日本語", 4), Is.EqualTo("日…"));
        Assert.That(TextWidth.Pad("7", 3, right: true), Is.EqualTo("  7"));
    }
}
