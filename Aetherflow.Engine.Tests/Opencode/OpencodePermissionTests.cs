using System.Text.Json;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode;

/// <summary>A server that asks before tools reach outside the session directory.</summary>
public sealed class OpencodePermissionTests
{
    private OfflineOpencode opencode = null!;

    [OneTimeSetUp]
    public async Task StartOpencode() => opencode = await OfflineOpencode.StartAsync(externalDirectory: OpencodePermissionAction.Ask);

    [OneTimeTearDown]
    public async Task StopOpencode() => await opencode.DisposeAsync();

    /// <summary>A file outside the session directory and outside the temp dir (opencode never asks for those).</summary>
    private static string OutsideFile => File.Exists("/etc/hostname") ? "/etc/hostname" : "/etc/passwd";

    [Test]
    public async Task Reading_outside_the_directory_waits_for_a_permission_answer()
    {
        string directory = opencode.CreateSessionDirectory("permission");
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "permission" }, directory);

        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = $"SCENARIO:read-file:{OutsideFile}" }, directory);
        OpencodePermissionRequest request = await opencode.WaitForPermissionAsync(session.Id, directory);
        bool stillBusy = (await opencode.Client.GetSessionStatusAsync(directory)).TryGetValue(session.Id, out OpencodeSessionStatus? status) && status.IsBusy;
        bool replied = await opencode.Client.ReplyToPermissionAsync(request.Id, OpencodePermissionReply.Once, directory: directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        Assert.That(request.Permission, Is.EqualTo("external_directory"));
        Assert.That(request.Id, Does.StartWith("per_"));
        Assert.That(request.ToolCallId, Is.Not.Null);
        Assert.That(stillBusy, Is.True, "the session waits for the answer");
        Assert.That(replied, Is.True);
        Assert.That(await opencode.Client.ListPermissionsAsync(directory), Is.Empty);
        JsonElement read = messages.SelectMany(m => m.PartsOfType("tool")).Single();
        Assert.That(read.GetProperty("tool").GetString(), Is.EqualTo("read"));
        Assert.That(read.GetProperty("state").GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(messages[^1].Finish, Is.EqualTo("stop"));
    }

    [Test]
    public async Task A_rejected_permission_fails_the_tool_and_the_turn_still_ends()
    {
        string directory = opencode.CreateSessionDirectory("reject");
        OpencodeSession session = await opencode.Client.CreateSessionAsync(new OpencodeSessionCreateRequest { Title = "reject" }, directory);

        await opencode.Client.PromptAsync(session.Id, new OpencodePrompt { Text = $"SCENARIO:read-file:{OutsideFile}" }, directory);
        OpencodePermissionRequest request = await opencode.WaitForPermissionAsync(session.Id, directory);
        await opencode.Client.ReplyToPermissionAsync(request.Id, OpencodePermissionReply.Reject, "not allowed in tests", directory);
        IReadOnlyList<OpencodeMessage> messages = await opencode.WaitForTurnAsync(session.Id, directory);

        JsonElement read = messages.SelectMany(m => m.PartsOfType("tool")).Single();
        Assert.That(read.GetProperty("state").GetProperty("status").GetString(), Is.EqualTo("error"));
    }
}
