using System.Text.Json;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>
/// Sessions driven over the HTTP API of one real opencode server (offline, scripted model). Each test works in its own
/// directory, as agents do in their own worktrees.
/// </summary>
[NonParallelizable]
public sealed class OpencodeClientTests
{
    private OfflineOpencode opencode = null!;

    private OpencodeClient Client => opencode.Client;

    [OneTimeSetUp]
    public async Task StartOpencode() => opencode = await OfflineOpencode.StartAsync();

    [OneTimeTearDown]
    public async Task StopOpencode() => await opencode.DisposeAsync();

    [Test]
    public async Task A_session_is_created_with_title_metadata_and_rules_in_its_directory()
    {
        string directory = opencode.CreateSessionDirectory("create");

        OpencodeSession created = await Client.CreateSessionAsync(
            new OpencodeSessionCreateRequest
            {
                Title = "AF-RUN-42",
                Metadata = new Dictionary<string, string> { ["af_run_id"] = "run-47" },
                Permission = [new OpencodePermissionRule("question", "*", OpencodePermissionAction.Deny)],
            },
            directory);
        OpencodeSession fetched = await Client.GetSessionAsync(created.Id, directory);
        IReadOnlyList<OpencodeSession> listed = await Client.ListSessionsAsync(directory);

        Assert.That(created.Id, Does.StartWith("ses_"));
        Assert.That(created.Directory, Is.EqualTo(directory));
        Assert.That(created.Title, Is.EqualTo("AF-RUN-42"));
        Assert.That(created.MetadataValue("af_run_id"), Is.EqualTo("run-47"));
        Assert.That(created.Permission, Does.Contain(new OpencodePermissionRule("question", "*", OpencodePermissionAction.Deny)));
        Assert.That(created.Version, Is.EqualTo(OpencodeConfigDirectory.TestedVersion));
        Assert.That(fetched.MetadataValue("af_run_id"), Is.EqualTo("run-47"));
        Assert.That(listed.Select(s => s.Id), Does.Contain(created.Id));
    }

    [Test]
    public async Task A_deleted_session_is_gone_and_asking_for_it_names_it_in_a_404()
    {
        string directory = opencode.CreateSessionDirectory("delete");
        OpencodeSession session = await Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "to delete" }, directory);

        bool deleted = await Client.DeleteSessionAsync(session.Id, directory);
        var error = await Assert.ThrowsAsync<OpencodeApiException>(() => Client.GetSessionAsync(session.Id, directory));

        Assert.That(deleted, Is.True);
        Assert.That(error!.IsNotFound, Is.True);
        Assert.That(error.ErrorName, Is.EqualTo("NotFoundError"));
        Assert.That(error.Message, Is.EqualTo($"opencode GET /session/{session.Id} failed: 404 Not Found: Session not found: {session.Id}"));
    }

    [Test]
    public async Task A_bash_prompt_runs_the_tool_in_the_session_directory_and_ends_with_stop()
    {
        string directory = opencode.CreateSessionDirectory("bash");
        OpencodeSession session = await Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "bash" }, directory);

        await Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:bash go" }, directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        Assert.That(File.ReadAllText(Path.Combine(directory, "out.txt")), Is.EqualTo("hello\n"));
        Assert.That(messages.Select(m => m.Role), Is.EqualTo(new[] { "user", "assistant", "assistant" }));
        Assert.That(messages[1].Finish, Is.EqualTo("tool-calls"));
        JsonElement tool = messages[1].PartsOfType("tool").Single();
        Assert.That(tool.GetProperty("tool").GetString(), Is.EqualTo("bash"));
        Assert.That(tool.GetProperty("state").GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
        Assert.That(messages[^1].Text, Is.EqualTo("Done: ran `echo hello > out.txt`."));
        Assert.That(opencode.Model.Requests.Where(r => r.SessionId == session.Id).Select(r => (r.Kind, r.Step)),
            Is.EqualTo(new[] { ("chat", (int?)0), ("chat", (int?)1) }), "the model saw both steps with opencode's session id, and no title request");
    }

    [Test]
    public async Task A_model_error_400_ends_the_turn_with_an_api_error()
    {
        string directory = opencode.CreateSessionDirectory("fail");
        OpencodeSession session = await Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "fail" }, directory);

        await Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:fail:400" }, directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        Assert.That(messages[^1].ErrorName, Is.EqualTo("APIError"));
        Assert.That(messages[^1].ErrorMessage, Is.EqualTo("scripted failure"));
        Assert.That(messages[^1].Error!.Value.GetProperty("data").GetProperty("statusCode").GetInt32(), Is.EqualTo(400));
    }

    [Test]
    public async Task A_hanging_turn_is_busy_until_it_is_aborted()
    {
        string directory = opencode.CreateSessionDirectory("hang");
        OpencodeSession session = await Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "hang" }, directory);

        await Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:hang:600" }, directory);
        await Eventually.TrueAsync(() => opencode.Model.Requests.Any(r => r.SessionId == session.Id && r.Answer == "hang"), "the model call to hang", OfflineOpencode.TurnTimeout);
        IReadOnlyDictionary<string, OpencodeSessionStatus> busy = await Client.GetSessionStatusAsync(directory);
        bool aborted = await Client.AbortSessionAsync(session.Id, directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        Assert.That(busy[session.Id].IsBusy, Is.True);
        Assert.That(aborted, Is.True);
        Assert.That(messages[^1].ErrorName, Is.EqualTo("MessageAbortedError"));
        Assert.That((await Client.GetSessionStatusAsync(directory)).ContainsKey(session.Id), Is.False, "an idle session is absent from the status map");
    }

    [Test]
    public async Task Malformed_model_output_ends_the_turn_with_an_error()
    {
        string directory = opencode.CreateSessionDirectory("garbage");
        OpencodeSession session = await Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "garbage" }, directory);

        await Client.PromptAsync(session.Id, new OpencodePrompt { Text = "SCENARIO:garbage" }, directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        Assert.That(messages[^1].Error, Is.Not.Null);
        Assert.That(messages[^1].ErrorMessage, Does.Contain("JSON"));
    }

    [Test]
    public async Task Invalid_ids_and_relative_directories_are_refused_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetSessionAsync("../etc"));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.ListSessionsAsync("relative/dir"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client.ReplyToPermissionAsync("per_x/../y", OpencodePermissionReply.Once));

        Assert.That(error!.Message, Does.Contain("not a valid opencode permission request id"));
    }
}
