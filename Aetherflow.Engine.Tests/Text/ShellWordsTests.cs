using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Text;

public sealed class ShellWordsTests
{
    [TestCase("opencode run --format json", new[] { "opencode", "run", "--format", "json" })]
    [TestCase("agent \"two words\" 'single $HOME'", new[] { "agent", "two words", "single $HOME" })]
    [TestCase("a\\ b c", new[] { "a b", "c" })]
    [TestCase("  spaced   out  ", new[] { "spaced", "out" })]
    [TestCase("say \"a \\\"quote\\\"\"", new[] { "say", "a \"quote\"" })]
    [TestCase("''", new[] { "" })]
    public void Splits_like_a_shell_without_expanding(string line, string[] expected) =>
        Assert.That(ShellWords.Split(line), Is.EqualTo(expected));

    [TestCase("bad 'quote")]
    [TestCase("bad \"quote")]
    public void Unterminated_quotes_are_errors(string line) =>
        Assert.Throws<FormatException>(() => ShellWords.Split(line));
}
