using System.ComponentModel;
using System.Diagnostics;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Tui.Ui.Shell;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Tui.Ui.Attach;

/// <summary>
/// Runs <c>opencode attach &lt;url&gt; --session &lt;id&gt; [--dir &lt;worktree&gt;]</c> on the real terminal while the
/// dashboard is down, and waits for it. The password goes into the child's environment, never its argv (which other
/// users can read in <c>ps</c>). Quitting opencode only detaches; the agent keeps running.
/// </summary>
internal sealed class SessionAttacher
{
    private readonly string opencodeBin;
    private readonly HostEnvironment environment;
    private readonly ILogger logger;

    public SessionAttacher(string opencodeBin, HostEnvironment environment, ILogger logger)
    {
        this.opencodeBin = opencodeBin;
        this.environment = environment;
        this.logger = logger;
    }

    /// <summary>The command line (without the password), for the log and the tests.</summary>
    public static IReadOnlyList<string> Arguments(AttachRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new List<string> { "attach", request.Info.ServerUrl, "--session", request.Info.SessionId };
        if (request.Info.Directory is { Length: > 0 } directory)
        {
            args.Add("--dir");
            args.Add(directory);
        }

        return args;
    }

    /// <summary>Runs opencode attached to the terminal until it exits; returns what to say when the dashboard is back.</summary>
    public (string Text, FlashKind Kind) Run(AttachRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? executable = ExecutableResolver.Find(opencodeBin, environment);
        if (executable is null)
        {
            return ($"cannot attach: opencode is not installed ('{opencodeBin}' is not on PATH); install it or set opencode_bin", FlashKind.Error);
        }

        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (string arg in Arguments(request))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["OPENCODE_SERVER_USERNAME"] = request.Info.Username;
        if (request.Info.Password is { } password)
        {
            start.Environment["OPENCODE_SERVER_PASSWORD"] = password;
        }
        else
        {
            start.Environment.Remove("OPENCODE_SERVER_PASSWORD");
        }

        logger.LogInformation("Attaching to agent {Agent}: {Executable} {Arguments}", request.Agent, executable, string.Join(' ', Arguments(request)));
        try
        {
            using Process process = Process.Start(start) ?? throw new Win32Exception($"{executable} did not start");
            using CancellationTokenRegistration stop = cancellationToken.Register(() => Kill(process));
            process.WaitForExit();
            int code = process.ExitCode;
            logger.LogInformation("opencode attach for {Agent} exited with {Code}", request.Agent, code);
            return code == 0 || cancellationToken.IsCancellationRequested
                ? ($"detached from {request.Agent}", FlashKind.Info)
                : ($"opencode attach exited with code {code} for {request.Agent}", FlashKind.Warning);
        }
        catch (Win32Exception ex)
        {
            logger.LogWarning(ex, "Could not run {Executable} to attach to {Agent}", executable, request.Agent);
            return ($"cannot attach: {executable} did not start ({ex.Message})", FlashKind.Error);
        }
    }

    private void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogDebug(ex, "opencode attach had already exited");
        }
    }
}
