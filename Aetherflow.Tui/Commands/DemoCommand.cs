using System.CommandLine;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Demo;
using Aetherflow.Engine.Opencode.Install;
using Aetherflow.Tui.Ui;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow demo</c>: a working swarm without any account or key. It makes a throw-away git project with a few
/// dependent tasks, starts an engine of its own on it in auto mode (solo, built-in store) whose agents are real
/// opencode sessions driven by the scripted demo model, and opens the dashboard — or, with <c>--headless</c>, prints
/// progress until every task is done and its branch is on <c>main</c>. opencode is installed with npm when missing.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DefaultStepDelay = TimeSpan.FromMilliseconds(600);

    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var headless = new Option<bool>("--headless")
        {
            Description = "No dashboard: print progress until every task is done and its branch is on main (exit 0), or the demo fails or times out (exit 1)",
        };
        var keep = new Option<bool>("--keep") { Description = "Keep the throw-away folder (project, engine log) and print where it is" };
        var timeout = new Option<string>("--timeout")
        {
            Description = $"With --headless: how long the demo may take (default {DurationText.Format(DefaultTimeout)})",
            HelpName = "duration",
        };
        var stepDelay = new Option<string>("--step-delay")
        {
            Description = $"The demo model's pause before each step, so you can follow the agents (default {DurationText.Format(DefaultStepDelay)})",
            HelpName = "duration",
        };
        var command = new Command(
            "demo",
            "A working swarm in a throw-away project, no account or key needed: scripted demo agents (not an LLM) take dependent tasks, call tools and land their branches")
        {
            headless, keep, timeout, stepDelay,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryDuration(result, timeout, DefaultTimeout, out TimeSpan limit, out int error) || !TryDuration(result, stepDelay, DefaultStepDelay, out TimeSpan delay, out error))
            {
                return error;
            }

            return await RunAsync(result, host, globals, result.GetValue(headless), result.GetValue(keep), limit, delay, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult result, CliHost host, GlobalOptions globals, bool headless, bool keep, TimeSpan timeout, TimeSpan stepDelay, CancellationToken cancellationToken)
    {
        TextWriter output = CommandOutput.Out(result);
        string? cliDirectory = CliDirectory();
        if (cliDirectory is null)
        {
            return CommandOutput.Fail(result, $"the demo's agents run the aetherflow executable, which is missing from {AppContext.BaseDirectory}; build the project with 'dotnet build' and run it from there");
        }

        string opencode;
        try
        {
            var installer = new OpencodeInstaller(OpencodeInstallerOptions.ForUser(host.Environment) with { TimeProvider = host.TimeProvider });
            bool terminal = ReferenceEquals(CommandOutput.Error(result), Console.Error) && !Console.IsErrorRedirected;
            opencode = await installer.EnsureAsync(
                host.Environment.Get(ConfigKeys.OpencodeBin.EnvironmentVariable) ?? OpencodeInstaller.DefaultProgram,
                new OpencodeInstallLine(CommandOutput.Error(result), terminal, host.Environment.Get("HOME")),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OpencodeInstallException ex)
        {
            return CommandOutput.Fail(result, ex.Message);
        }

        DemoRun run;
        try
        {
            run = await DemoRun.StartAsync(
                new DemoRunOptions
                {
                    BaseDirectory = host.Environment.Get("TMPDIR") ?? Path.GetTempPath(),
                    Environment = host.Environment,
                    OpencodeExecutable = opencode,
                    CliDirectory = cliDirectory,
                    AnswerDelay = stepDelay,
                    Keep = keep,
                    TimeProvider = host.TimeProvider,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DemoException ex)
        {
            return CommandOutput.Fail(result, ex.Message);
        }

        int exitCode;
        try
        {
            output.WriteLine(
                $"aetherflow demo: project {DemoCatalog.ProjectFolderName} ({run.Project.Name}) in {run.Project.Directory}: {run.Project.Tasks.Count} tasks with dependencies, "
                + $"{run.Host.Engine.Config.PoolSize} agent slots, solo landing on {DemoProject.BaseBranch}; agents are opencode sessions driven by the scripted demo model (no LLM, no account)");
            exitCode = headless
                ? await RunHeadlessAsync(result, run, timeout, cancellationToken).ConfigureAwait(false)
                : await RunDashboardAsync(result, host, globals, run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                CommandOutput.Error(result).WriteLine($"aetherflow: could not delete the demo folder {run.RootDirectory}: {ex.Message}; delete it by hand");
            }
        }

        if (run.Keep)
        {
            output.WriteLine($"aetherflow demo: kept {run.RootDirectory} (project: {run.Project.Directory}, engine log: {run.LogFile})");
        }

        return exitCode;
    }

    private static async Task<int> RunHeadlessAsync(ParseResult result, DemoRun run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TextWriter output = CommandOutput.Out(result);
        DemoOutcome outcome;
        try
        {
            outcome = await run.RunToCompletionAsync(output.WriteLine, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CommandOutput.Fail(result, "demo interrupted; its agents and engine are stopped");
        }

        if (!outcome.Succeeded)
        {
            // A failed run's files are the only way to see what happened: keep them.
            run.Keep = true;
            return CommandOutput.Fail(result, $"demo failed: {outcome.Message}");
        }

        output.WriteLine($"aetherflow demo: {outcome.Message} ({outcome.Elapsed.TotalSeconds:0.0}s)");
        return ExitCodes.Success;
    }

    private static async Task<int> RunDashboardAsync(ParseResult result, CliHost host, GlobalOptions globals, DemoRun run, CancellationToken cancellationToken)
    {
        bool color = host.ColorAllowed(result.GetValue(globals.NoColor), outputRedirected: false);
        using (var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Host.ShutdownRequested))
        {
            var dashboard = new DashboardOptions
            {
                EngineLabel = "demo: scripted agents, no LLM",
                QuitStopsAgents = true,
                NoConfirm = true,
                Sender = DashboardOptions.SenderOf(host.Environment),
                OpencodeBin = run.Host.Engine.Config.OpencodeBin,
            };
            DashboardRunner.Run(run.Host.Engine, Theme.Create(color), host.TimeProvider, dashboard, host.Environment, quit.Token);
        }

        IReadOnlyList<DemoTaskStatus> statuses = await run.CheckAsync(CancellationToken.None).ConfigureAwait(false);
        CommandOutput.Out(result).WriteLine(
            $"aetherflow demo: {statuses.Count(s => s.Finished)} of {statuses.Count} tasks done with their branches on {DemoProject.BaseBranch}"
            + (run.Keep ? string.Empty : "; to look at the project afterwards, run 'aetherflow demo --keep' (see docs/demo.md)"));
        return ExitCodes.Success;
    }

    // The agents' 'aetherflow task …' commands must reach this very build: its folder goes first on their PATH.
    private static string? CliDirectory() =>
        File.Exists(Path.Combine(AppContext.BaseDirectory, "aetherflow")) ? AppContext.BaseDirectory.TrimEnd('/') : null;

    private static bool TryDuration(ParseResult result, Option<string> option, TimeSpan fallback, out TimeSpan value, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        string? text = result.GetValue(option);
        if (text is null)
        {
            value = fallback;
            return true;
        }

        if (DurationText.TryParse(text, out value) && value >= TimeSpan.Zero)
        {
            return true;
        }

        exitCode = CommandOutput.Fail(result, $"{option.Name} '{text}' is not a duration; use a number with a unit, like 500ms, 30s or 5m", ExitCodes.ConfigError);
        return false;
    }
}
