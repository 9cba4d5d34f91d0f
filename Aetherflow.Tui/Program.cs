using System.CommandLine;
using System.Runtime.InteropServices;
using Aetherflow.Tui.Commands;

// SIGINT and SIGTERM cancel the running command, which then stops cleanly and returns its own exit code.
// (System.CommandLine's built-in handler would report 130/143 whenever the clean stop takes a moment.)
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
ParseResult parsed = AetherflowCli.Parse(CliHost.FromProcess(), args);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token).ConfigureAwait(false);
