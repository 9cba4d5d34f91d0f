namespace Aetherflow.Tui.Ui.Keys;

/// <summary>The views a key works in.</summary>
[Flags]
internal enum ViewScope
{
    None = 0,

    /// <summary>The agent table and the queue.</summary>
    Dashboard = 1,

    /// <summary>One agent in detail.</summary>
    Panel = 2,

    /// <summary>One agent's event stream, full screen.</summary>
    Log = 4,

    /// <summary>The session registry (<c>:sessions</c>).</summary>
    Sessions = 8,

    /// <summary>The key help (<c>?</c>).</summary>
    Help = 16,

    /// <summary>Views that show one agent or a table of them: the agent actions work here.</summary>
    AgentViews = Dashboard | Panel | Log,

    All = Dashboard | Panel | Log | Sessions | Help,
}
