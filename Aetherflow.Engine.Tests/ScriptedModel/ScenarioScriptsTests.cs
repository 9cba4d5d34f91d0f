using System.Net;
using System.Text.Json.Nodes;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static Aetherflow.Engine.Tests.ScriptedModel.ScriptedModelClient;

namespace Aetherflow.Engine.Tests.ScriptedModel;

public sealed class ScenarioScriptsTests
{
    private const string Scripts = """
        {
          "deploy": [
            {"type": "tool", "name": "bash", "args": {"command": "ls"}},
            {"type": "tools", "calls": [{"name": "read", "args": {"filePath": "a"}}, {"name": "read", "args": {"filePath": "b"}}]},
            {"type": "text", "text": "done"}
          ],
          "broken": [{"type": "error", "status": 429, "message": "slow down"}],
          "wait": [{"type": "hang", "seconds": 5, "text": "waited"}],
          "bash": [{"type": "text", "text": "custom bash"}]
        }
        """;

    [Test]
    public async Task A_custom_script_plays_its_steps_in_order()
    {
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { Scripts = ScenarioScripts.Parse(Scripts) });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer first = await client.StreamAsync(Conversation(("user", "SCENARIO:deploy")));
        StreamedAnswer second = await client.StreamAsync(Conversation(("user", "SCENARIO:deploy"), ("assistant", ""), ("tool", "x")));
        StreamedAnswer third = await client.StreamAsync(Conversation(("user", "SCENARIO:deploy"), ("assistant", ""), ("tool", "x"), ("assistant", ""), ("tool", "a"), ("tool", "b")));

        Assert.That(first.ToolCalls.Single().Arguments["command"]!.GetValue<string>(), Is.EqualTo("ls"));
        Assert.That(second.ToolCalls.Select(c => c.Arguments["filePath"]!.GetValue<string>()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(third.Text, Is.EqualTo("done"));
    }

    [Test]
    public async Task Custom_error_steps_use_their_status_and_message()
    {
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { Scripts = ScenarioScripts.Parse(Scripts) });
        using var client = new ScriptedModelClient(server);

        (int status, JsonObject body) = await client.CompleteAsync(Conversation(("user", "SCENARIO:broken")));

        Assert.That(status, Is.EqualTo(429));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Is.EqualTo("slow down"));
    }

    [Test]
    public async Task Custom_hang_steps_wait_on_the_server_clock()
    {
        var clock = new FakeTimeProvider();
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { TimeProvider = clock, Scripts = ScenarioScripts.Parse(Scripts) });
        using var client = new ScriptedModelClient(server);

        Task<StreamedAnswer> answer = client.StreamAsync(Conversation(("user", "SCENARIO:wait")));
        await Eventually.TrueAsync(() => server.Requests.Count == 1, "the request to arrive");
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.That((await Eventually.WithinAsync(answer, "the answer")).Text, Is.EqualTo("waited"));
    }

    [Test]
    public async Task Custom_scripts_take_precedence_over_built_in_ones()
    {
        await using ScriptedModelServer server = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { Scripts = ScenarioScripts.Parse(Scripts) });
        using var client = new ScriptedModelClient(server);

        StreamedAnswer answer = await client.StreamAsync(Conversation(("user", "SCENARIO:bash")));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(answer.Text, Is.EqualTo("custom bash"));
    }

    [Test]
    public void Scripts_load_from_a_file()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("scripts.json", Scripts);

        IReadOnlyDictionary<string, IReadOnlyList<ScriptStep>> scripts = ScenarioScripts.LoadFile(path);

        Assert.That(scripts.Keys, Is.EquivalentTo(new[] { "deploy", "broken", "wait", "bash" }));
        Assert.That(scripts["deploy"].Select(s => s.Kind), Is.EqualTo(new[] { ScriptStepKind.ToolCalls, ScriptStepKind.ToolCalls, ScriptStepKind.Text }));
        Assert.That(scripts["deploy"][1].ToolCalls, Has.Count.EqualTo(2));
        Assert.That(scripts["wait"][0].Delay, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [TestCase("[1]", "expected an object of scenario names")]
    [TestCase("{\"a\": []}", "scenario 'a' must be a non-empty list of steps")]
    [TestCase("{\"a b\": [{\"type\":\"text\",\"text\":\"x\"}]}", "scenario name 'a b'")]
    [TestCase("{\"a\": [{\"type\":\"dance\"}]}", "scenario 'a' step 1: unknown step type 'dance'")]
    [TestCase("{\"a\": [{\"type\":\"text\"}]}", "scenario 'a' step 1: a text step needs \"text\"")]
    [TestCase("{\"a\": [{\"type\":\"tool\",\"args\":{}}]}", "a tool call needs \"name\"")]
    [TestCase("{\"a\": [{\"type\":\"tool\",\"name\":\"bash\",\"args\":[1]}]}", "\"args\" must be an object")]
    [TestCase("{\"a\": [{\"type\":\"tools\",\"calls\":[]}]}", "a tools step needs a non-empty \"calls\" list")]
    [TestCase("{\"a\": [{\"type\":\"error\",\"status\":200}]}", "HTTP status from 400 to 599")]
    [TestCase("{\"a\": [{\"type\":\"hang\",\"seconds\":\"soon\"}]}", "\"seconds\" must be a number")]
    [TestCase("{not json", "not valid JSON")]
    public void Invalid_scripts_fail_with_a_message_that_says_where(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => ScenarioScripts.Parse(json, "demo.json"));

        Assert.That(ex!.Message, Does.StartWith("demo.json: ").And.Contain(expected));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }
}
