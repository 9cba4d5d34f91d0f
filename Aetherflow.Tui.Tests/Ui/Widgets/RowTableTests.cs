using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Time;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Tests.Ui.Widgets;

/// <summary>A table redraws the screen rows a change touched, not the whole table (drawing is what costs).</summary>
public sealed class RowTableTests
{
    private static readonly IReadOnlyList<TableColumn> Columns = [new("NAME", 30), new("TOOL", 30, Flexible: true)];
    private IApplication app = null!;
    private Window window = null!;
    private SessionToken session = null!;
    private RowTable table = null!;
    private List<int> drawn = null!;

    [SetUp]
    public void SetUp()
    {
        app = Application.Create(new VirtualTimeProvider()).Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(60, 12);
        table = new RowTable(Theme.Create(false), Columns) { Active = true };
        window = new Window();
        window.Add(table);
        session = app.Begin(window)!;
        table.SetRows([.. Enumerable.Range(0, 5).Select(i => Row(i, "bash: make"))]);
        app.LayoutAndDraw(true);
        drawn = [];
        for (int i = 0; i < table.Lines.Count; i++)
        {
            int line = i;
            table.Lines[i].ClearingViewport += (_, _) => drawn.Add(line);
        }
    }

    [TearDown]
    public void TearDown()
    {
        app.End(session);
        window.Remove(table);
        table.Dispose();
        window.Dispose();
        app.Dispose();
    }

    [Test]
    public void A_changed_row_redraws_only_its_line()
    {
        table.SetRows([.. Enumerable.Range(0, 5).Select(i => Row(i, i == 3 ? "bash: dotnet test" : "bash: make"))]);
        app.LayoutAndDraw();

        Assert.That(drawn, Is.EqualTo(new[] { 4 }), "header is line 0: the fourth row is line 4");
        Assert.That(app.Driver!.ToString(), Does.Contain("agent_3 bash: dotnet test"));
    }

    [Test]
    public void Moving_the_cursor_redraws_the_two_lines_it_left_and_reached()
    {
        table.Move(2);
        app.LayoutAndDraw();

        Assert.That(drawn, Is.EquivalentTo(new[] { 1, 3 }));
    }

    [Test]
    public void Rows_that_show_what_is_shown_draw_nothing()
    {
        table.SetRows([.. Enumerable.Range(0, 5).Select(i => Row(i, "bash: make"))]);
        app.LayoutAndDraw();

        Assert.That(drawn, Is.Empty);
    }

    [Test]
    public void A_row_that_widens_a_column_redraws_every_line_it_moves()
    {
        table.SetRows([.. Enumerable.Range(0, 5).Select(i => Row(i, "bash: make", i == 0 ? "agent_with_a_long_name" : null))]);
        app.LayoutAndDraw();

        Assert.That(drawn, Is.EquivalentTo(new[] { 0, 1, 2, 3, 4, 5 }), "the header and all five rows: the TOOL column moved");
    }

    [Test]
    public void A_resized_table_is_drawn_whole_at_its_new_size()
    {
        app.Driver!.SetScreenSize(40, 8);
        app.LayoutAndDraw();

        Assert.That(table.Lines, Has.Count.EqualTo(6), "8 rows less the window's border");
        Assert.That(app.Driver.ToString(), Does.Contain("agent_4 bash: make"));
    }

    private static TableRow Row(int i, string tool, string? name = null) => new($"agent_{i}", [name ?? $"agent_{i}", tool]);
}
