using System.Text;
using System.Text.RegularExpressions;

namespace Aetherflow.Engine.Prompts;

/// <summary>
/// A prompt template with <c>{{name}}</c> variables and no other syntax. Rendering is a single pass: every value is
/// inserted literally and never scanned again, so a task title or a person's prompt that contains <c>{{task_id}}</c>
/// stays exactly as written.
/// </summary>
/// <remarks>
/// A variable name is a lowercase letter followed by lowercase letters, digits or <c>_</c>. Any other <c>{{</c> in a
/// template is an error when it is parsed, so a typo such as <c>{{ task_id }}</c> fails at startup instead of
/// reaching an agent.
/// </remarks>
public sealed partial class PromptTemplate
{
    private const string Open = "{{";
    private const string Close = "}}";

    private readonly IReadOnlyList<Segment> segments;

    private PromptTemplate(string name, IReadOnlyList<Segment> segments)
    {
        Name = name;
        this.segments = segments;
        Variables = segments.Where(s => s.IsVariable).Select(s => s.Text).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Where the template came from, for error messages (e.g. <c>worker.md (built in)</c> or a path).</summary>
    public string Name { get; }

    /// <summary>The variables the template uses, each once, in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="name">Names the template in error messages.</param>
    /// <param name="text">The template text.</param>
    /// <exception cref="PromptException">A <c>{{</c> does not start a well-formed <c>{{name}}</c>.</exception>
    public static PromptTemplate Parse(string name, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(text);

        var segments = new List<Segment>();
        int position = 0;
        while (position < text.Length)
        {
            int open = text.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                segments.Add(new Segment(text[position..], IsVariable: false));
                break;
            }

            if (open > position)
            {
                segments.Add(new Segment(text[position..open], IsVariable: false));
            }

            int close = text.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            string variable = close < 0 ? string.Empty : text[(open + Open.Length)..close];
            if (close < 0 || !VariableName().IsMatch(variable))
            {
                throw new PromptException(
                    $"{name} line {LineOf(text, open)}: '{Excerpt(text, open)}' is not a variable; write variables as "
                    + "{{name}} (lowercase letters, digits and '_'), and don't use '{{' for anything else");
            }

            segments.Add(new Segment(variable, IsVariable: true));
            position = close + Close.Length;
        }

        return new PromptTemplate(name, segments);
    }

    /// <summary>
    /// Renders the template. Values for variables the template does not use are ignored; a variable without a value
    /// is an error.
    /// </summary>
    /// <exception cref="PromptException">The template uses a variable that has no value.</exception>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string> missing = Variables.Where(v => !values.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            string names = string.Join(", ", missing.Select(v => Open + v + Close));
            string known = values.Count == 0 ? "none" : string.Join(", ", values.Keys.Order(StringComparer.Ordinal));
            string verb = missing.Count == 1 ? "has" : "have";
            throw new PromptException($"{Name} uses {names}, which {verb} no value; the variables available here are: {known}");
        }

        var output = new StringBuilder();
        foreach (Segment segment in segments)
        {
            output.Append(segment.IsVariable ? values[segment.Text] : segment.Text);
        }

        return output.ToString();
    }

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    private static string Excerpt(string text, int index)
    {
        int end = text.IndexOf('\n', index);
        string rest = end < 0 ? text[index..] : text[index..end];
        return rest.Length <= 40 ? rest : rest[..40] + "…";
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    private readonly record struct Segment(string Text, bool IsVariable);
}
