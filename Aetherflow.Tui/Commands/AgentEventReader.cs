using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Reads one agent's events by sequence cursor (<c>events.read</c>), page by page. Sequences are per session: when the
/// agent moves to a new session (a respawn), reading starts over at that session's beginning.
/// </summary>
internal sealed class AgentEventReader
{
    private const int PageSize = 1000;
    private readonly EngineClient client;
    private readonly string agent;
    private readonly bool raw;
    private long cursor;

    public AgentEventReader(EngineClient client, string agent, bool raw)
    {
        this.client = client;
        this.agent = agent;
        this.raw = raw;
    }

    /// <summary>The session read last, or null while the agent has none.</summary>
    public string? Session { get; private set; }

    /// <summary>Everything after the cursor; <c>NewSession</c> names the session when reading moved to a new one.</summary>
    public async Task<(IReadOnlyList<EventLine> Lines, string? NewSession)> ReadNewAsync(CancellationToken cancellationToken)
    {
        var lines = new List<EventLine>();
        string? newSession = null;
        while (true)
        {
            EventPage page = await client.ReadEventsAsync(agent, cursor, PageSize, raw, cancellationToken).ConfigureAwait(false);
            if (page.SessionId != Session)
            {
                bool restart = Session is not null && cursor > 0;
                newSession = Session is null ? null : page.SessionId;
                Session = page.SessionId;
                if (restart)
                {
                    cursor = 0;
                    lines.Clear();
                    continue;
                }
            }

            lines.AddRange(page.Events);
            cursor = Math.Max(cursor, page.NextCursor);
            if (!page.HasMore)
            {
                return (lines, newSession);
            }
        }
    }
}
