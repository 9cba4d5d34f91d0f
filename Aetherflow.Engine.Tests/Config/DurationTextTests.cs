using Aetherflow.Engine.Config;

namespace Aetherflow.Engine.Tests.Config;

public sealed class DurationTextTests
{
    [TestCase("500ms", 500)]
    [TestCase("10s", 10_000)]
    [TestCase("2m", 120_000)]
    [TestCase("1h30m", 5_400_000)]
    [TestCase("1d", 86_400_000)]
    [TestCase(" 3s ", 3_000)]
    [TestCase("0s", 0)]
    public void Parses_number_unit_pairs(string text, long milliseconds)
    {
        Assert.That(DurationText.TryParse(text, out TimeSpan duration), Is.True);
        Assert.That(duration.TotalMilliseconds, Is.EqualTo(milliseconds));
    }

    [TestCase("")]
    [TestCase("10")]
    [TestCase("10 seconds")]
    [TestCase("s")]
    [TestCase("-5s")]
    [TestCase("1.5s")]
    [TestCase("5x")]
    [TestCase("9999999999s")]
    public void Rejects_anything_else(string text) => Assert.That(DurationText.TryParse(text, out _), Is.False);

    [TestCase(90_000, "1m30s")]
    [TestCase(500, "500ms")]
    [TestCase(3_600_000, "1h")]
    [TestCase(0, "0s")]
    public void Formats_in_the_same_notation(long milliseconds, string expected) =>
        Assert.That(DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));
}
