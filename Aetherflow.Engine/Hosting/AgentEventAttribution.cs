using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Says which agent each batch of stored session events belongs to. A session's first events can be stored before the
/// pool has published which agent runs it (a runtime sends the prompt before it reports the launch); those batches are
/// held per session and reported, as one, as soon as the agent is known — with the session's next batch or with the
/// next published state, whichever comes first — so a live subscriber's view of the session begins at its first event.
/// Reports are made under one lock, so a session's reports are never out of order.
/// </summary>
internal sealed class AgentEventAttribution
{
    // Sessions with events and no agent: normally none for more than a moment; more than this are sessions no agent
    // runs (someone else's, on a shared opencode server), and the oldest held is forgotten.
    internal const int HeldSessionsLimit = 256;

    private readonly Dictionary<string, Held> held = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyList<AgentInfo>> agents;
    private readonly Action<AgentEventsAppended> report;
    private readonly Lock gate = new();
    private long holds;

    /// <param name="agents">The agents as last published.</param>
    /// <param name="report">Receives each attributed batch.</param>
    public AgentEventAttribution(Func<IReadOnlyList<AgentInfo>> agents, Action<AgentEventsAppended> report)
    {
        this.agents = agents;
        this.report = report;
    }

    /// <summary>Reports a stored batch of <paramref name="sessionId"/>'s events, or holds it until its agent is known.</summary>
    public void Appended(string sessionId, long firstSequence, long lastSequence)
    {
        lock (gate)
        {
            // Read under the lock: a state published after this look releases what this holds.
            AgentInfo? agent = AgentOf(agents(), sessionId);
            if (held.Remove(sessionId, out Held earlier))
            {
                firstSequence = earlier.First;
            }

            if (agent is not null)
            {
                report(new AgentEventsAppended(agent.Name, sessionId, lastSequence) { FirstSequence = firstSequence });
                return;
            }

            if (held.Count >= HeldSessionsLimit)
            {
                held.Remove(held.MinBy(entry => entry.Value.Order).Key);
            }

            held[sessionId] = new Held(firstSequence, lastSequence, holds++);
        }
    }

    /// <summary>Reports the held batches of every session the agents, as just published, name an agent for.</summary>
    public void Published()
    {
        lock (gate)
        {
            if (held.Count == 0)
            {
                return;
            }

            foreach (AgentInfo agent in agents())
            {
                if (agent.SessionId is { } sessionId && held.Remove(sessionId, out Held batch))
                {
                    report(new AgentEventsAppended(agent.Name, sessionId, batch.Last) { FirstSequence = batch.First });
                }
            }
        }
    }

    // The newest agent of a session (a respawn in the same session is listed after the run it replaced).
    private static AgentInfo? AgentOf(IReadOnlyList<AgentInfo> agents, string sessionId)
    {
        for (int i = agents.Count - 1; i >= 0; i--)
        {
            if (agents[i].SessionId == sessionId)
            {
                return agents[i];
            }
        }

        return null;
    }

    private readonly record struct Held(long First, long Last, long Order);
}
