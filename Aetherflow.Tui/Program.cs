using System.CommandLine;
using Aetherflow.Tui.Commands;
using Aetherflow.Tui.Ui.Startup;

// Terminal.Gui takes long to load; the dashboard gets it from a background thread while the command line is parsed.
TerminalGuiPreload.StartIfDashboard(args);

// SIGINT and SIGTERM cancel the running command, which then stops cleanly and returns its own exit code.
// (System.CommandLine's built-in handler would report 130/143 whenever the clean stop takes a moment.)
using var signals = new TerminationSignals();
ParseResult parsed = AetherflowCli.Parse(CliHost.FromProcess() with { Signals = signals }, args);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.First).ConfigureAwait(false);
