using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Text;

public sealed class TerminalTextTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("\u001b[31mred\u001b[0m", "red")]
    [TestCase("\u001b]0;evil title\u0007after", "after")]
    [TestCase("\u001b]52;c;Y2xpcA==\u001b\\after", "after")]
    [TestCase("\u001bPq#0;2;0;0;0\u001b\\x", "x")]
    [TestCase("a\u001b7b\u001b8c", "abc")]
    [TestCase("bell\u0007 back\bspace del\u007f nul\u0000", "bell backspace del nul")]
    [TestCase("c1\u009b2Jcsi", "c1csi")]
    [TestCase("tab\tand\nline", "tab\tand\nline")]
    [TestCase("cr\r\nlf", "cr\nlf")]
    [TestCase("bidi\u202eevil", "bidievil")]
    [TestCase("unterminated \u001b[31", "unterminated ")]
    public void Removes_escape_sequences_and_controls(string input, string expected) =>
        Assert.That(TerminalText.Sanitize(input), Is.EqualTo(expected));

    [Test]
    public void Single_line_cells_turn_whitespace_controls_into_spaces() =>
        Assert.That(TerminalText.SanitizeLine("a\tb\nc\rd"), Is.EqualTo("a b c d"));

    [TestCase("hello world", 5, "hell…")]
    [TestCase("short", 10, "short")]
    [TestCase("ab", 1, "…")]
    [TestCase("a😀b", 3, "a…")]
    public void Truncates_without_splitting_characters(string text, int max, string expected) =>
        Assert.That(TerminalText.Truncate(text, max), Is.EqualTo(expected));
}
