using System.Text.RegularExpressions;
using Aetherflow.Engine.ScriptedModel;
using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>
/// The real <c>aetherflow</c> in a real terminal (tmux) with its own engine and real opencode agents on the scripted
/// model, driven with keys the way a person drives it and read back from the screen.
/// </summary>
[NonParallelizable]
public sealed class DashboardEndToEndTests
{
    private const string Prompt = "AF-PROMPT$ ";
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    [Test]
    public async Task A_person_spawns_an_agent_watches_its_tool_calls_pauses_and_resumes_the_pool_reads_its_log_attaches_and_quits()
    {
        using var home = new TestHome("e2e-dash");
        await using ScriptedModelServer model = await ScriptedModelServer.StartAsync(new ScriptedModelOptions { MaxLifetime = TimeSpan.FromMinutes(10) });
        Dictionary<string, string> variables = OfflineProject.Prepare(home, model, "e2e-dash");
        string rc = Path.Combine(home.Root, "bashrc");
        File.WriteAllText(rc, $"PS1='{Prompt}'\n");
        using TmuxSession terminal = TmuxSession.Start($"bash --noprofile --rcfile {rc} -i", home.ProjectDirectory, variables, width: 120, height: 36);
        await terminal.WaitForAsync(Prompt.TrimEnd());
        (string file, string[] prefix) = TestProcess.Executable();
        terminal.SendKeys("-l", $"{file} {string.Join(' ', prefix)}");
        terminal.SendKeys("Enter");

        await terminal.WaitForAsync("No agents running", Slow);

        // A spawned agent appears…
        terminal.SendKeys("-l", ":spawn SCENARIO:slow-tool:4 check the build");
        terminal.SendKeys("Enter");
        string screen = await terminal.WaitForAsync("spawned ", Slow);
        string agent = Regex.Match(screen, @"spawned (\w+) \(").Groups[1].Value;
        Assert.That(agent, Is.Not.Empty, screen);
        await terminal.WaitForAsync(agent + " ");

        // …and its tool calls stream in.
        await terminal.WaitForAsync("bash: sleep 4", Slow);
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForAsync("Tool calls (1)", Slow);
        Assert.That(screen, Does.Contain("sleep 4"));
        screen = await terminal.WaitForAsync("completed", Slow);
        Assert.That(screen, Does.Contain(agent));
        terminal.SendKeys("Escape");
        await terminal.WaitForAsync("Queue (");

        // p then r change the mode badge.
        terminal.SendKeys("p");
        await terminal.WaitForAsync("[paused]");
        terminal.SendKeys("r");
        await terminal.WaitForAsync("[active]");

        // l shows its log.
        terminal.SendKeys("l");
        screen = await terminal.WaitForAsync("[follow]");
        screen = await terminal.WaitForAsync("sleep 4");
        Assert.That(screen, Does.Contain(agent));
        terminal.SendKeys("Escape");
        await terminal.WaitForAsync("Queue (");

        // a hands the terminal to opencode's own interface on the agent's session; quitting it brings the dashboard back.
        terminal.SendKeys("a");
        screen = await terminal.WaitForAsync("Scripted model", Slow);
        Assert.That(screen, Does.Not.Contain("Queue ("), "the dashboard stepped aside");
        await QuitOpencodeAsync(terminal);
        await terminal.WaitForAsync("detached from " + agent, Slow);

        // q quits (answering the question if the agent still runs) and the shell prompt returns.
        terminal.SendKeys("q");
        await Wait.UntilAsync(() => (screen = terminal.Capture()).Contains("Quit?", StringComparison.Ordinal) || !screen.Contains("Queue (", StringComparison.Ordinal), "quit or its question", Slow);
        if (screen.Contains("Quit?", StringComparison.Ordinal))
        {
            terminal.SendKeys("y");
        }

        await Wait.UntilAsync(() => (screen = terminal.Capture()).TrimEnd().EndsWith(Prompt.TrimEnd(), StringComparison.Ordinal), "the shell prompt after quitting", Slow);
        Assert.That(screen, Does.Not.Contain("Queue ("), "the alternate screen is gone");
        terminal.SendKeys("-l", "stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'");
        terminal.SendKeys("Enter");
        screen = await terminal.WaitForAsync("\nicanon");
    }

    // Ctrl+C quits opencode's interface once it is ready; a key pressed while it loads is lost, so press it again —
    // but only while opencode's screen is up, never into the dashboard coming back.
    private static async Task QuitOpencodeAsync(TmuxSession terminal)
    {
        DateTime deadline = DateTime.UtcNow + Slow;
        while (terminal.Capture().Contains("ctrl+p", StringComparison.Ordinal))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "opencode did not quit on ctrl+c");
            terminal.SendKeys("C-c");
            DateTime retry = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            await Wait.UntilAsync(() => !terminal.Capture().Contains("ctrl+p", StringComparison.Ordinal) || DateTime.UtcNow > retry, "opencode to quit or the retry", Slow);
        }
    }
}
