using System.Text.Json;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>The scripted model's scenarios end to end through real opencode: what a session ends up with.</summary>
public sealed class ScriptedScenarioTests
{
    private OfflineOpencode opencode = null!;

    [OneTimeSetUp]
    public async Task StartOpencode() => opencode = await OfflineOpencode.StartAsync();

    [OneTimeTearDown]
    public async Task StopOpencode() => await opencode.DisposeAsync();

    [Test]
    public async Task Write_file_writes_the_file_in_the_session_directory()
    {
        (string directory, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("write-file", "SCENARIO:write-file:notes/a.txt");

        Assert.That(File.ReadAllText(Path.Combine(directory, "notes", "a.txt")), Is.EqualTo("written by the scripted model\n"));
        Assert.That(ToolStates(messages), Is.EqualTo(new[] { "write:completed" }));
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
    }

    [Test]
    public async Task Read_file_reads_an_existing_file()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("read-file", "SCENARIO:read-file", dir => File.WriteAllText(Path.Combine(dir, "scripted.txt"), "data\n"));

        Assert.That(ToolStates(messages), Is.EqualTo(new[] { "read:completed" }));
    }

    [Test]
    public async Task Multi_runs_bash_write_and_read_in_three_steps()
    {
        (string directory, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("multi", "SCENARIO:multi");

        Assert.That(ToolStates(messages), Is.EqualTo(new[] { "bash:completed", "write:completed", "read:completed" }));
        Assert.That(File.Exists(Path.Combine(directory, "out.txt")) && File.Exists(Path.Combine(directory, "scripted.txt")), Is.True);
        Assert.That(messages.Count(m => m.Role == "assistant"), Is.EqualTo(4));
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
    }

    [Test]
    public async Task Parallel_runs_two_bash_calls_from_one_assistant_message()
    {
        (string directory, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("parallel", "SCENARIO:parallel");

        OpencodeMessage withTools = messages.Single(m => m.PartsOfType("tool").Any());
        Assert.That(ToolStates([withTools]), Is.EqualTo(new[] { "bash:completed", "bash:completed" }));
        Assert.That(File.ReadAllText(Path.Combine(directory, "one.txt")) + File.ReadAllText(Path.Combine(directory, "two.txt")), Is.EqualTo("one\ntwo\n"));
    }

    [Test]
    public async Task Tool_error_leaves_the_read_tool_in_error_and_the_turn_ends()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("tool-error", "SCENARIO:tool-error");

        Assert.That(ToolStates(messages), Is.EqualTo(new[] { "read:error" }));
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
    }

    [Test]
    public async Task Bad_tool_becomes_opencodes_invalid_tool()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("bad-tool", "SCENARIO:bad-tool");

        Assert.That(ToolStates(messages), Is.EqualTo(new[] { "invalid:completed" }));
    }

    [Test]
    public async Task Fail_once_is_retried_by_opencode_and_then_answered()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("fail-once", "SCENARIO:fail-once:503");

        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
        Assert.That(messages[^1].Text, Is.EqualTo("Answered after one failure."));
        Assert.That(opencode.Model.Requests.Where(r => r.SessionId == SessionOf(messages)).Select(r => r.Status), Is.EqualTo(new[] { 503, 200 }));
    }

    [Test]
    public async Task Slow_text_arrives_whole()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("slow", "SCENARIO:slow:0.2");

        Assert.That(messages[^1].Text, Is.EqualTo("One. Two. Three. Four. Five."));
    }

    [Test]
    public async Task Slow_tool_runs_sleep()
    {
        (_, IReadOnlyList<OpencodeMessage> messages) = await RunAsync("slow-tool", "SCENARIO:slow-tool:1");

        JsonElement tool = messages.SelectMany(m => m.PartsOfType("tool")).Single();
        Assert.That(tool.GetProperty("state").GetProperty("input").GetProperty("command").GetString(), Is.EqualTo("sleep 1"));
        Assert.That(tool.GetProperty("state").GetProperty("status").GetString(), Is.EqualTo("completed"));
    }

    [Test]
    public async Task A_session_without_a_title_gets_the_fake_title_from_the_side_request()
    {
        string directory = opencode.CreateSessionDirectory("untitled");
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest(), directory);

        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:text" }, directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);
        await Eventually.TrueAsync(() => opencode.Model.Requests.Any(r => r.SessionId == session.Id && r.Kind == "title"), "the title side request");
        string title = string.Empty;
        DateTime deadline = DateTime.UtcNow + OfflineOpencode.TurnTimeout;
        while ((title = (await opencode.Client.GetSessionAsync(session.Id, directory)).Title) != ScriptedModelServer.TitleAnswer && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(title, Is.EqualTo(ScriptedModelServer.TitleAnswer));
        Assert.That(messages[^1].Text, Does.StartWith("Hello from the scripted model."), "the title request used no scenario step");
    }

    private async Task<(string Directory, IReadOnlyList<OpencodeMessage> Messages)> RunAsync(string name, string prompt, Action<string>? prepare = null)
    {
        string directory = opencode.CreateSessionDirectory(name);
        prepare?.Invoke(directory);
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = name }, directory);
        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = prompt }, directory);
        return (directory, await opencode.WaitForTurnAsync(session.Id, directory));
    }

    private static string SessionOf(IReadOnlyList<OpencodeMessage> messages) => messages[0].Info.GetProperty("sessionID").GetString()!;

    private static string[] ToolStates(IEnumerable<OpencodeMessage> messages) =>
        messages.SelectMany(m => m.PartsOfType("tool"))
            .Select(t => $"{t.GetProperty("tool").GetString()}:{t.GetProperty("state").GetProperty("status").GetString()}")
            .ToArray();
}
