using System.Text.RegularExpressions;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Rpc;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>
/// The same dashboard on a headless engine in another process: attached automatically (the project's engine already
/// runs) or with <c>--connect</c>. Keys change the remote engine, its pushes reach the screen, and quitting leaves it
/// running.
/// </summary>
[NonParallelizable]
public sealed class RemoteDashboardTests
{
    [TestCase("automatically")]
    [TestCase("with --connect")]
    public async Task The_dashboard_drives_a_headless_engine_in_another_process(string how)
    {
        using var home = new TestHome("remote-dash");
        home.WriteConfig("project: remote-dash\nruntime: command\nspawn_cmd: sh -c 'sleep 120' agent\n");
        OfflineProject.InitGit(home.ProjectDirectory, home.Variables);
        using TestProcess engine = TestProcess.Start(home.ProjectDirectory, home.Variables, "--headless");
        string socket = home.SocketPath("remote-dash");
        await Wait.UntilAsync(() => File.Exists(socket) || engine.Process.HasExited, "the headless engine's socket");
        Assert.That(engine.Process.HasExited, Is.False, engine.Error);
        await using RemoteEngine observer = await RemoteEngine.ConnectAsync(socket, CancellationToken.None);

        (string file, string[] prefix) = TestProcess.Executable();
        string connect = how == "automatically" ? string.Empty : $" --connect {socket}";
        using TmuxSession terminal = TmuxSession.Start($"{file} {string.Join(' ', prefix)}{connect}; echo \"AF-EXIT:$?\"; sleep 60", home.ProjectDirectory, home.Variables, width: 140, height: 30);
        await terminal.WaitForAsync("attached " + socket);

        terminal.SendKeys("-l", ":spawn tidy the README");
        terminal.SendKeys("Enter");
        string screen = await terminal.WaitForAsync("spawned ");
        string agent = Regex.Match(screen, @"spawned (\w+) \(").Groups[1].Value;
        await terminal.WaitForAsync("busy");
        await Wait.UntilAsync(() => observer.Snapshot.Agents.Any(a => a.Name == agent), "the agent in the headless engine, seen by another client");

        terminal.SendKeys("p");
        await terminal.WaitForAsync("[paused]");
        await Wait.UntilAsync(() => observer.Snapshot.Mode == PoolMode.Paused, "the remote pool to be paused");
        terminal.SendKeys("r");
        await terminal.WaitForAsync("[active]");

        terminal.SendKeys("x");
        await terminal.WaitForAsync($"Stop {agent}?");
        terminal.SendKeys("y");
        await Wait.UntilAsync(() => observer.Snapshot.Agents.Single(a => a.Name == agent).Activity == AgentActivity.Exited, "the agent to be stopped");
        await terminal.WaitForAsync("exited");

        terminal.SendKeys("q");
        screen = await terminal.WaitForAsync("AF-EXIT:0");
        Assert.That(screen, Does.Not.Contain("Quit?"), "quitting a remote dashboard stops nothing, so it does not ask");
        Assert.That(engine.Process.HasExited, Is.False, "the headless engine keeps running");
        Assert.That(observer.Snapshot.Mode, Is.EqualTo(PoolMode.Active));
    }
}
