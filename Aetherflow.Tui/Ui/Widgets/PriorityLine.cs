using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// A one-line view of items that each have a priority: when the line is too narrow, the least important items are
/// left out (not cut in the middle), so the header keeps the mode badge and the footer keeps <c>?</c> and <c>q</c>
/// at 80 columns. What is left is drawn in the original order.
/// </summary>
internal sealed class PriorityLine : DrawnView
{
    private IReadOnlyList<Item> items = [];

    public PriorityLine()
    {
        Height = 1;
        Width = Dim.Fill();
    }

    /// <summary>The items, in display order.</summary>
    public IReadOnlyList<Item> Items
    {
        get => items;
        set
        {
            // Unchanged items cause no redraw: the header and footer are set on every render.
            if (value.Count == items.Count && value.Zip(items).All(pair => pair.First.Priority == pair.Second.Priority && pair.First.Segments.SequenceEqual(pair.Second.Segments)))
            {
                items = value;
                return;
            }

            items = value;
            SetNeedsDraw();
        }
    }

    /// <summary>The full text (for tests and accessibility).</summary>
    public string PlainText => string.Concat(items.SelectMany(i => i.Segments).Select(s => s.Text));

    /// <summary>The items that fit in <paramref name="width"/> columns.</summary>
    public static IReadOnlyList<Item> Fit(IReadOnlyList<Item> all, int width)
    {
        var kept = all.ToList();
        while (kept.Sum(i => i.Width) > width && kept.Count > 1)
        {
            Item least = kept.OrderByDescending(i => i.Priority).ThenByDescending(kept.IndexOf).First();
            kept.Remove(least);
        }

        return kept;
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int column = 0;
        foreach (Item item in Fit(items, width))
        {
            column += DrawSegments(0, column, item.Segments, width - column);
        }

        return true;
    }

    /// <summary>Segments that stay or go together.</summary>
    /// <param name="Segments">The text.</param>
    /// <param name="Priority">Lower stays longer.</param>
    public sealed record Item(IReadOnlyList<Segment> Segments, int Priority)
    {
        public int Width => Segments.Sum(s => TextWidth.Of(s.Text));
    }
}
