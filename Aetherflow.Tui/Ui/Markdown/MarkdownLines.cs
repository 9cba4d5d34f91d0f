using System.Globalization;
using System.Text;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Widgets;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Aetherflow.Tui.Ui.Markdown;

/// <summary>
/// Renders a task's description or definition of done (Markdown, written by people or agents) as coloured lines:
/// headings, paragraphs, bullet and numbered lists, code, quotes and rules. The text is sanitised before parsing and
/// every produced piece again after (an HTML entity can spell an escape character), so nothing in a task reaches the
/// terminal as a control sequence. Wrapping is left to the view.
/// </summary>
internal sealed class MarkdownLines
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();
    private readonly Theme theme;
    private readonly List<StyledLine> lines = [];

    private MarkdownLines(Theme theme)
    {
        this.theme = theme;
    }

    public static IReadOnlyList<StyledLine> Render(string? markdown, Theme theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var renderer = new MarkdownLines(theme);
        string clean = TerminalText.Sanitize(markdown ?? string.Empty).Trim();
        if (clean.Length == 0)
        {
            return [];
        }

        MarkdownDocument document = Markdig.Markdown.Parse(clean, Pipeline);
        renderer.Blocks(document, string.Empty, string.Empty);
        while (renderer.lines.Count > 0 && renderer.lines[^1].Segments.Count == 0)
        {
            renderer.lines.RemoveAt(renderer.lines.Count - 1);
        }

        return renderer.lines;
    }

    // `first` prefixes the first line of a block (a bullet), `rest` every following line (its indent).
    private void Blocks(ContainerBlock container, string first, string rest)
    {
        bool isFirst = true;
        foreach (Block block in container)
        {
            Block(block, isFirst ? first : rest, rest);
            isFirst = false;
        }
    }

    private void Block(Block block, string first, string rest)
    {
        switch (block)
        {
            case HeadingBlock heading:
                Inlines(heading.Inline, first, rest, heading.Level <= 2 ? theme.Title : theme.Header);
                Blank();
                break;
            case ParagraphBlock paragraph:
                Inlines(paragraph.Inline, first, rest, theme.Normal);
                if (paragraph.Parent is not ListItemBlock { Parent: ListBlock { IsLoose: false } })
                {
                    Blank();
                }

                break;
            case ListBlock list:
                int number = int.TryParse(list.OrderedStart, NumberStyles.Integer, CultureInfo.InvariantCulture, out int start) ? start : 1;
                bool isFirst = true;
                foreach (Block item in list)
                {
                    string bullet = list.IsOrdered ? $"{number++}. " : "• ";
                    string lead = (isFirst ? first : rest) + bullet;
                    Blocks((ContainerBlock)item, lead, rest + new string(' ', bullet.Length));
                    isFirst = false;
                }

                if (list.Parent is MarkdownDocument)
                {
                    Blank();
                }

                break;
            case QuoteBlock quote:
                Blocks(quote, first + "│ ", rest + "│ ");
                break;
            case CodeBlock code:
                foreach (var line in code.Lines.Lines.Take(code.Lines.Count))
                {
                    Add(first + "  ", [new Segment(TerminalText.SanitizeLine(line.ToString()), theme.Code)]);
                    first = rest;
                }

                Blank();
                break;
            case ThematicBreakBlock:
                Add(first, [new Segment("────────", theme.Dim)]);
                Blank();
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                Inlines(leaf.Inline, first, rest, theme.Normal);
                break;
            case LeafBlock leaf:
                foreach (var line in leaf.Lines.Lines.Take(leaf.Lines.Count))
                {
                    Add(first, [new Segment(TerminalText.SanitizeLine(line.ToString()), theme.Dim)]);
                    first = rest;
                }

                break;
            case ContainerBlock other:
                Blocks(other, first, rest);
                break;
        }
    }

    private void Inlines(ContainerInline? inline, string first, string rest, Attribute attribute)
    {
        var current = new List<Segment>();
        var pieces = new List<List<Segment>> { current };
        Walk(inline, attribute, ref current, pieces);
        bool isFirst = true;
        foreach (List<Segment> piece in pieces)
        {
            Add(isFirst ? first : rest, piece, TextWidth.Of(rest));
            isFirst = false;
        }
    }

    private void Walk(ContainerInline? container, Attribute attribute, ref List<Segment> current, List<List<Segment>> pieces)
    {
        if (container is null)
        {
            return;
        }

        foreach (Inline inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    current.Add(new Segment(TerminalText.SanitizeLine(literal.Content.ToString()), attribute));
                    break;
                case CodeInline code:
                    current.Add(new Segment(TerminalText.SanitizeLine(code.Content), theme.Code));
                    break;
                case LineBreakInline { IsHard: true }:
                    current = [];
                    pieces.Add(current);
                    break;
                case LineBreakInline:
                    current.Add(new Segment(" ", attribute));
                    break;
                case EmphasisInline emphasis:
                    Walk(emphasis, emphasis.DelimiterCount >= 2 ? Merge(attribute, theme.Bold) : Merge(attribute, theme.Italic), ref current, pieces);
                    break;
                case LinkInline { IsImage: false } link:
                    Walk(link, Merge(attribute, theme.Accent), ref current, pieces);
                    if (!string.IsNullOrEmpty(link.Url) && link.FirstChild is LiteralInline text && text.Content.ToString() != link.Url)
                    {
                        current.Add(new Segment(" (" + TerminalText.SanitizeLine(link.Url) + ")", theme.Dim));
                    }

                    break;
                case AutolinkInline auto:
                    current.Add(new Segment(TerminalText.SanitizeLine(auto.Url), theme.Accent));
                    break;
                case HtmlEntityInline entity:
                    current.Add(new Segment(TerminalText.SanitizeLine(entity.Transcoded.ToString()), attribute));
                    break;
                case HtmlInline html:
                    current.Add(new Segment(TerminalText.SanitizeLine(html.Tag), theme.Dim));
                    break;
                case ContainerInline nested:
                    Walk(nested, attribute, ref current, pieces);
                    break;
                default:
                    current.Add(new Segment(TerminalText.SanitizeLine(inline.ToString()), attribute));
                    break;
            }
        }
    }

    private static Attribute Merge(Attribute outer, Attribute style) =>
        new(style.Foreground == Terminal.Gui.Drawing.Color.None ? outer.Foreground : style.Foreground, outer.Background, outer.Style | style.Style);

    private void Add(string prefix, List<Segment> segments, int? indent = null)
    {
        var all = new List<Segment>();
        if (prefix.Length > 0)
        {
            all.Add(new Segment(prefix, theme.Dim));
        }

        all.AddRange(segments.Where(s => s.Text.Length > 0));
        lines.Add(new StyledLine(all, indent ?? TextWidth.Of(prefix)));
    }

    private void Blank()
    {
        if (lines.Count > 0 && lines[^1].Segments.Count > 0)
        {
            lines.Add(StyledLine.Empty);
        }
    }

    /// <summary>For tests: the plain text of rendered lines.</summary>
    public static string PlainText(IEnumerable<StyledLine> rendered)
    {
        var text = new StringBuilder();
        foreach (StyledLine line in rendered)
        {
            text.AppendLine(line.Text);
        }

        return text.ToString();
    }
}
