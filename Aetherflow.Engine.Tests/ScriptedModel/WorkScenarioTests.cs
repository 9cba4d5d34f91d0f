using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Aetherflow.Engine.Tests.ScriptedModel.ScriptedModelClient;

namespace Aetherflow.Engine.Tests.ScriptedModel;

/// <summary>Scenarios assigned by work id (how the demo drives its agents) and the answer delay.</summary>
public sealed class WorkScenarioTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> Scripts = ScenarioScripts.Parse(new JsonObject
    {
        ["demo.one"] = new JsonArray(
            new JsonObject { ["type"] = "tool", ["name"] = "bash", ["args"] = new JsonObject { ["command"] = "echo first" } },
            new JsonObject { ["type"] = "tool", ["name"] = "bash", ["args"] = new JsonObject { ["command"] = "echo second" } },
            new JsonObject { ["type"] = "text", ["text"] = "finished one" }),
    }.ToJsonString());

    [Test]
    public async Task A_prompt_naming_an_assigned_work_id_plays_that_scenario_without_a_token()
    {
        await using ScriptedModelServer server = await StartAsync(new Dictionary<string, string> { ["ts-1"] = "demo.one" });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer first = await client.StreamAsync(Conversation(("system", "You are an agent."), ("user", "# Worker\n\nTask: ts-1\nTitle: Add a thing\n")));
        StreamedAnswer second = await client.StreamAsync(Conversation(("user", "Task: ts-1\nTitle: Add a thing"), ("assistant", ""), ("tool", "first")));

        Assert.That(first.ToolCalls.Single().Arguments["command"]!.GetValue<string>(), Is.EqualTo("echo first"));
        Assert.That(second.ToolCalls.Single().Arguments["command"]!.GetValue<string>(), Is.EqualTo("echo second"));
        Assert.That(server.Requests.Select(r => r.Scenario), Has.All.EqualTo("demo.one"));
    }

    [Test]
    public async Task A_later_user_message_continues_the_assigned_script_instead_of_restarting_it()
    {
        await using ScriptedModelServer server = await StartAsync(new Dictionary<string, string> { ["ts-1"] = "demo.one" });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer answer = await client.StreamAsync(Conversation(
            ("user", "Task: ts-1"), ("assistant", ""), ("tool", "first"),
            ("user", "The previous run on this task stopped; carry on.")));

        Assert.That(answer.ToolCalls.Single().Arguments["command"]!.GetValue<string>(), Is.EqualTo("echo second"));
    }

    [Test]
    public async Task A_scenario_token_still_wins_over_the_assignment_and_other_work_ids_get_the_default()
    {
        await using ScriptedModelServer server = await StartAsync(new Dictionary<string, string> { ["ts-1"] = "demo.one" });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer token = await client.StreamAsync(Conversation(("user", "Task: ts-1\nSCENARIO:write-file:a.txt")));
        StreamedAnswer other = await client.StreamAsync(Conversation(("user", "Task: ts-2")));

        Assert.That(token.ToolCalls.Single().Name, Is.EqualTo("write"));
        Assert.That(other.ToolCalls, Is.Empty);
        Assert.That(server.Requests.Select(r => r.Scenario), Is.EqualTo(new[] { "write-file", "text" }));
    }

    [Test]
    public async Task The_answer_delay_holds_every_scenario_answer_back_on_the_clock_but_not_the_title_request()
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { TimeProvider = clock, AnswerDelay = TimeSpan.FromSeconds(5) });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer title = await Eventually.WithinAsync(
            client.StreamAsync(Conversation(("system", "You are a title generator. Output a title."), ("user", "SCENARIO:bash"))), "the title answer, without any clock advance");
        Task<StreamedAnswer> answer = client.StreamAsync(Conversation(("user", "SCENARIO:bash")));
        await Eventually.TrueAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return answer.IsCompleted;
        }, "the delayed answer");

        long created = (await answer).Chunks[0]["created"]!.GetValue<long>();
        Assert.That(title.Text, Is.EqualTo(ScriptedModelServer.TitleAnswer));
        Assert.That(created - start.ToUnixTimeSeconds(), Is.GreaterThanOrEqualTo(5), "the answer was written only after five seconds on the clock");
        Assert.That((await answer).ToolCalls.Single().Name, Is.EqualTo("bash"));
    }

    private static Task<ScriptedModelServer> StartAsync(IReadOnlyDictionary<string, string> assignments) =>
        ScriptedModelServer.StartAsync(new ScriptedModelOptions { MaxLifetime = TimeSpan.FromMinutes(5), Scripts = Scripts, WorkScenarios = assignments });
}
