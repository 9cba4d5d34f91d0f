using System.Globalization;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Terminal.Gui.Views;

namespace Aetherflow.Tui.Ui;

/// <summary>Presents the queue of ready tasks as table rows.</summary>
internal sealed class QueueTableSource : ITableSource
{
    private static readonly string[] Names = ["ID", "PRI", "TITLE"];
    private readonly IReadOnlyList<QueuedTask> tasks;

    public QueueTableSource(IReadOnlyList<QueuedTask> tasks)
    {
        this.tasks = tasks;
    }

    public string[] ColumnNames => Names;

    public int Columns => Names.Length;

    public int Rows => tasks.Count;

    public object this[int row, int col] => col switch
    {
        0 => TerminalText.SanitizeLine(tasks[row].Id),
        1 => "P" + tasks[row].Priority.ToString(CultureInfo.InvariantCulture),
        _ => TerminalText.SanitizeLine(tasks[row].Title),
    };
}
