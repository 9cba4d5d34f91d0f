using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Tests.Ui.Widgets;

public sealed class TextFilterTests
{
    [TestCase("wolf", "ghost_wolf busy", true)]
    [TestCase("WOLF", "ghost_wolf busy", true)]
    [TestCase("^ghost.*busy$", "ghost_wolf busy", true)]
    [TestCase("!busy", "ghost_wolf busy", false)]
    [TestCase("!busy", "neon idle", true)]
    [TestCase("(parser", "fix (parser", true)]
    [TestCase("(a)\\1", "aa", true)]
    public void Keeps_what_matches(string filter, string text, bool kept) =>
        Assert.That(TextFilter.Parse(filter)!.Keeps(text), Is.EqualTo(kept));

    [TestCase("")]
    [TestCase("!")]
    [TestCase(null)]
    public void An_empty_filter_is_no_filter(string? filter) => Assert.That(TextFilter.Parse(filter), Is.Null);

    [Test]
    public void An_invalid_expression_is_matched_literally_and_says_so()
    {
        TextFilter filter = TextFilter.Parse("a[b")!;

        Assert.That(filter.Literal, Is.True);
        Assert.That(filter.Keeps("x a[b y"), Is.True);
        Assert.That(filter.Keeps("ab"), Is.False);
    }

    [Test]
    public void A_pathological_pattern_cannot_hang_the_screen()
    {
        TextFilter filter = TextFilter.Parse("(a+)+$")!;
        string text = new string('a', 50_000) + "!";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        filter.Keeps(text);

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Inverse_filters_highlight_nothing() => Assert.That(TextFilter.Parse("!x")!.Highlight, Is.Null);
}
