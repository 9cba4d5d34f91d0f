using Aetherflow.Tui.Ui.Widgets;

namespace Aetherflow.Tui.Tests.Ui.Widgets;

public sealed class ColumnLayoutTests
{
    private static readonly TableColumn[] Columns =
    [
        new("NAME", 10),
        new("TITLE", 40, MinWidth: 8, Flexible: true),
        new("EXTRA", 10, DropOrder: 1),
    ];

    private static readonly TableRow[] Rows = [new("a", ["ghost_wolf", "A fairly long title here", "1234567890"])];

    [Test]
    public void Spare_width_goes_to_the_flexible_column()
    {
        int[] widths = ColumnLayout.Compute(Columns, Rows, 80);

        Assert.That(widths, Is.EqualTo(new[] { 10, 80 - 10 - 10 - 2, 10 }));
    }

    [Test]
    public void A_narrow_table_squeezes_the_flexible_column_to_its_minimum_first()
    {
        int[] widths = ColumnLayout.Compute(Columns, Rows, 35);

        Assert.That(widths, Is.EqualTo(new[] { 10, 13, 10 }));
    }

    [Test]
    public void Then_drops_the_least_important_column_and_gives_its_room_back()
    {
        int[] widths = ColumnLayout.Compute(Columns, Rows, 25);

        Assert.That(widths, Is.EqualTo(new[] { 10, 14, 0 }));
    }
}
