using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Tests.Hosting;

public sealed class AgentEventAttributionTests
{
    private readonly List<AgentEventsAppended> reports = [];
    private IReadOnlyList<AgentInfo> agents = [];

    [SetUp]
    public void Reset()
    {
        reports.Clear();
        agents = [];
    }

    [Test]
    public void A_batch_of_a_known_agents_session_is_reported_at_once()
    {
        AgentEventAttribution attribution = Attribution();
        agents = [Agent("ghost_wolf", "ses_1")];

        attribution.Appended("ses_1", 4, 9);

        Assert.That(reports, Is.EqualTo(new[] { Report("ghost_wolf", "ses_1", 4, 9) }));
    }

    [Test]
    public void Batches_stored_before_the_agent_is_published_are_reported_with_its_next_batch_from_the_first()
    {
        AgentEventAttribution attribution = Attribution();
        attribution.Appended("ses_1", 1, 3);
        attribution.Appended("ses_1", 4, 6);
        Assert.That(reports, Is.Empty, "no agent is known for the session yet");

        agents = [Agent("ghost_wolf", "ses_1")];
        attribution.Appended("ses_1", 7, 8);
        attribution.Appended("ses_1", 9, 9);

        Assert.That(reports, Is.EqualTo(new[] { Report("ghost_wolf", "ses_1", 1, 8), Report("ghost_wolf", "ses_1", 9, 9) }));
    }

    [Test]
    public void Held_batches_are_reported_when_the_agent_is_published_without_waiting_for_more_events()
    {
        AgentEventAttribution attribution = Attribution();
        attribution.Appended("ses_1", 1, 5);
        attribution.Appended("ses_2", 1, 2);

        agents = [Agent("ghost_wolf", "ses_1"), Agent("amber_fox", null)];
        attribution.Published();
        attribution.Published();

        Assert.That(reports, Is.EqualTo(new[] { Report("ghost_wolf", "ses_1", 1, 5) }), "once, and nothing for a session no agent runs");
    }

    [Test]
    public void A_session_run_again_by_a_respawn_is_reported_for_the_newest_agent_listed()
    {
        AgentEventAttribution attribution = Attribution();
        agents = [Agent("ghost_wolf", "ses_1"), Agent("amber_fox", "ses_1")];

        attribution.Appended("ses_1", 10, 12);

        Assert.That(reports.Single().Agent, Is.EqualTo("amber_fox"));
    }

    [Test]
    public void Beyond_the_limit_the_session_held_longest_is_forgotten()
    {
        AgentEventAttribution attribution = Attribution();
        for (int i = 0; i <= AgentEventAttribution.HeldSessionsLimit; i++)
        {
            attribution.Appended($"ses_{i}", 1, 1);
        }

        agents = [Agent("first", "ses_0"), Agent("second", "ses_1"), Agent("newest", $"ses_{AgentEventAttribution.HeldSessionsLimit}")];
        attribution.Published();

        Assert.That(reports.Select(r => r.Agent), Is.EquivalentTo(new[] { "second", "newest" }));
    }

    private AgentEventAttribution Attribution() => new(() => agents, reports.Add);

    private static AgentInfo Agent(string name, string? sessionId) => new() { Name = name, Role = "worker", SessionId = sessionId };

    private static AgentEventsAppended Report(string agent, string sessionId, long first, long last) =>
        new(agent, sessionId, last) { FirstSequence = first };
}
