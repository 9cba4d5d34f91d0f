using System.CommandLine;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Prompts;
using Aetherflow.Tui.Presentation;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow install</c>: copies the review and knowledge skills, the reviewer agents and the aetherflow-events
/// plugin into opencode's config folder. It shows the plan (write or skip, by byte comparison), asks before writing on
/// a terminal, and is idempotent: a second run writes nothing. <c>--check</c> exits 1 when anything is out of date.
/// </summary>
internal static class InstallCommand
{
    public static Command Create(CliHost host, GlobalOptions globals)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be written, write nothing" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when any file is missing or out of date" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Install without asking" };
        var target = new Option<string?>("--target") { Description = "The opencode config folder (default: $XDG_CONFIG_HOME/opencode, else ~/.config/opencode)", HelpName = "dir" };
        var json = new Option<bool>("--json") { Description = "Print the plan or the result as JSON (implies --yes)" };
        var command = new Command("install", "Install aetherflow's skills, reviewer agents and event plugin into opencode's config folder")
        {
            dryRun, check, yes, target, json,
        };
        command.SetAction(result => Run(result, host, globals, new Choices(
            result.GetValue(target),
            result.GetValue(dryRun),
            result.GetValue(check),
            result.GetValue(yes) || result.GetValue(json),
            result.GetValue(json))));
        return command;
    }

    private static int Run(ParseResult result, CliHost host, GlobalOptions globals, Choices choices)
    {
        string? targetDirectory = ResolveTarget(result, host, choices.Target, out int failure);
        if (targetDirectory is null)
        {
            return failure;
        }

        var installer = new AssetInstaller(new AssetCatalog(), targetDirectory);
        IReadOnlyList<AssetInstallStep> plan = installer.Plan();
        int toWrite = plan.Count(s => s.Action == AssetInstallAction.Write);
        Painter paint = Terminal.Painter(result, host, globals);
        TextWriter output = CommandOutput.Out(result);
        if (choices.Check)
        {
            Report(result, choices, targetDirectory, "check", plan, executed: false, () =>
                output.WriteLine(toWrite == 0 ? "Everything is up to date." : $"{toWrite} file{(toWrite == 1 ? " needs" : "s need")} updating in {targetDirectory}; run 'aetherflow install'."));
            return toWrite == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }

        if (toWrite == 0)
        {
            Report(result, choices, targetDirectory, choices.DryRun ? "dry_run" : "install", plan, executed: false, () =>
                output.WriteLine($"Everything is up to date in {targetDirectory}."));
            return ExitCodes.Success;
        }

        bool ask = !choices.Yes && !choices.DryRun;
        if (ask && !host.InputIsTerminal)
        {
            return CommandOutput.Fail(result, "not asking for confirmation because stdin is not a terminal; run 'aetherflow install --yes' to install, or --dry-run to only see the plan", ExitCodes.ConfigError);
        }

        if (!choices.Json)
        {
            output.WriteLine($"Installing aetherflow skills, agents and plugins to {targetDirectory}:");
            if (ask || choices.DryRun)
            {
                foreach (AssetInstallStep step in plan)
                {
                    output.WriteLine(step.Action == AssetInstallAction.Write
                        ? $"  {paint.Green("write")}  {step.Path}"
                        : paint.Dim($"  skip   {step.Path} ({(step.IsNpmState ? "present" : "up to date")})"));
                }
            }
        }

        if (choices.DryRun)
        {
            Report(result, choices, targetDirectory, "dry_run", plan, executed: false, () =>
                output.WriteLine($"{toWrite} to write, {plan.Count - toWrite} up to date. (dry run — no files written)"));
            return ExitCodes.Success;
        }

        if (ask)
        {
            output.Write("Proceed? [Y/n] ");
            output.Flush();
            string? answer = host.Input.ReadLine()?.Trim();
            if (answer is null || !(answer.Length == 0 || answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)))
            {
                output.WriteLine("Aborted.");
                return ExitCodes.Success;
            }
        }

        IReadOnlyList<AssetInstallStep> done = installer.Execute(plan);
        int failed = done.Count(s => s.Error is not null);
        Report(result, choices, targetDirectory, "install", done, executed: true, () =>
        {
            foreach (AssetInstallStep step in done)
            {
                output.WriteLine(step switch
                {
                    { Error: { } error } => $"{paint.Red("✗")} {step.Path} — {error}",
                    { Action: AssetInstallAction.Write } => $"{paint.Green("✓")} {step.Path}",
                    _ => paint.Dim($"· {step.Path} ({(step.IsNpmState ? "present" : "up to date")})"),
                });
            }

            output.WriteLine($"Done. {toWrite - failed} written, {done.Count - toWrite} up to date.{(failed > 0 ? $" {failed} failed." : string.Empty)}");
        });
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string? ResolveTarget(ParseResult result, CliHost host, string? explicitTarget, out int failure)
    {
        failure = ExitCodes.Success;
        if (explicitTarget is not null)
        {
            if (explicitTarget.Trim().Length == 0)
            {
                failure = CommandOutput.Fail(result, "--target needs a folder, e.g. --target ~/.config/opencode", ExitCodes.ConfigError);
                return null;
            }

            return Path.GetFullPath(explicitTarget, host.WorkingDirectory);
        }

        string? global = OpencodeConfigDirectory.GlobalPath(host.Environment.Variables);
        if (global is null)
        {
            failure = CommandOutput.Fail(result, "cannot tell where opencode's config folder is: neither XDG_CONFIG_HOME nor HOME is set; pass --target <dir>", ExitCodes.ConfigError);
            return null;
        }

        // Without --target, only install for an opencode that exists, so a typo'd HOME does not grow a stray folder.
        if (!Directory.Exists(global) && ExecutableResolver.Find("opencode", host.Environment) is null)
        {
            failure = CommandOutput.Fail(result, $"opencode does not seem to be installed (no 'opencode' on PATH and no {global}); install it with 'npm install -g opencode-ai', or pass --target <dir> to install anyway");
            return null;
        }

        return global;
    }

    private static void Report(ParseResult result, Choices choices, string target, string mode, IReadOnlyList<AssetInstallStep> steps, bool executed, Action text)
    {
        if (!choices.Json)
        {
            text();
            return;
        }

        int write = steps.Count(s => s.Action == AssetInstallAction.Write);
        int errors = steps.Count(s => s.Error is not null);
        CommandOutput.Json(result, new InstallReport(
            target,
            mode,
            executed,
            UpToDate: executed ? errors == 0 : write == 0,
            steps.Select(s => new InstallReportAction(s.Path, s.Action == AssetInstallAction.Write ? "write" : "skip", s.Error)).ToList(),
            new InstallReportSummary(write - errors, steps.Count - write, errors)),
            CliJson.Indented.InstallReport);
    }

    private sealed record Choices(string? Target, bool DryRun, bool Check, bool Yes, bool Json);

    internal sealed record InstallReport(string Target, string Mode, bool Executed, bool UpToDate, IReadOnlyList<InstallReportAction> Actions, InstallReportSummary Summary);

    internal sealed record InstallReportAction(string Path, string Action, string? Error);

    internal sealed record InstallReportSummary(int Write, int Skip, int Errors);
}
