using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Text;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow session attach &lt;id&gt;</c>: opens opencode's TUI on an agent's session (<c>opencode attach</c>),
/// with the address and credentials the engine gives. Quitting the TUI only detaches; the agent keeps running.
/// </summary>
internal static class SessionCommand
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    public static Command Create(CliHost host, EngineConnection engine)
    {
        var id = new Argument<string>("session-id") { Description = "The session id, as 'aetherflow sessions' or 'aetherflow status <agent>' shows it" };
        var attach = new Command("attach", "Open opencode's TUI on a session (quit it to detach; the agent keeps running)") { id };
        attach.SetAction((result, cancellationToken) => engine.RunAsync(result, async (client, _) =>
        {
            string sessionId = result.GetRequiredValue(id);
            if (!Identifiers.IsSessionId(sessionId))
            {
                return CommandOutput.Fail(result, $"'{TerminalText.SanitizeLine(sessionId)}' is not a session id (like ses_4f1c2a); 'aetherflow sessions' lists them", ExitCodes.ConfigError);
            }

            SessionAttachInfo target = await client.GetSessionAttachAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (!LoopbackUrl.IsValid(target.ServerUrl))
            {
                return CommandOutput.Fail(result, $"the engine named an opencode server that is not a local address ({TerminalText.SanitizeLine(target.ServerUrl)}); refusing to attach");
            }

            AetherflowConfig config = engine.LoadConfig(result);
            string? opencode = ExecutableResolver.Find(config.OpencodeBin, host.Environment);
            if (opencode is null)
            {
                return CommandOutput.Fail(result, $"opencode is not installed ('{config.OpencodeBin}' is not on PATH): install it with 'npm install -g opencode-ai' or set opencode_bin");
            }

            CommandOutput.Error(result).WriteLine($"attaching to {sessionId} on {target.ServerUrl} (quit the TUI to detach; the agent keeps running)");
            return await RunAsync(result, host, opencode, target, cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
        return new Command("session", "Work with one opencode session") { attach };
    }

    private static async Task<int> RunAsync(ParseResult result, CliHost host, string opencode, SessionAttachInfo target, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(opencode) { UseShellExecute = false, WorkingDirectory = host.WorkingDirectory };
        start.ArgumentList.Add("attach");
        start.ArgumentList.Add(target.ServerUrl);
        start.ArgumentList.Add("--session");
        start.ArgumentList.Add(target.SessionId);
        if (target.Directory is { } directory && Directory.Exists(directory))
        {
            start.ArgumentList.Add("--dir");
            start.ArgumentList.Add(directory);
        }

        start.Environment.Clear();
        foreach ((string name, string value) in host.Environment.Variables)
        {
            start.Environment[name] = value;
        }

        // Credentials go through the environment, never argv, so they do not show in ps.
        if (target.Password is { } password)
        {
            start.Environment["OPENCODE_SERVER_USERNAME"] = target.Username;
            start.Environment["OPENCODE_SERVER_PASSWORD"] = password;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{opencode} did not start");
        }
        catch (Win32Exception ex)
        {
            return CommandOutput.Fail(result, $"cannot run {opencode}: {ex.Message}");
        }

        using (process)
        {
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // ctrl+c reaches the TUI too (same terminal); give it a moment to restore the terminal, then end it.
                using var grace = new CancellationTokenSource(ExitGrace, host.TimeProvider);
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }

                return ExitCodes.Success;
            }

            return process.ExitCode;
        }
    }
}
