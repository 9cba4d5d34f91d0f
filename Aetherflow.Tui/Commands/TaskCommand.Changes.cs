using System.CommandLine;
using ActionFactory = System.Func<System.Func<Aetherflow.Tui.Commands.TaskInvocation, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>>, System.CommandLine.Invocation.CommandLineAction>;

namespace Aetherflow.Tui.Commands;

/// <summary>The subcommands that change a task: status changes, log lines and dependencies.</summary>
internal static partial class TaskCommand
{
    private static Command Start(ActionFactory action)
    {
        Argument<string> id = IdArgument();
        var force = new Option<bool>("--force") { Description = "Start it even though some dependencies are not done or canceled yet" };
        var command = new Command("start", "Claim an open task (in_progress); only one claimer can win") { id, force };
        command.Action = action(async (run, ct) =>
        {
            string taskId = run.Id(id);
            await run.Store.StartAsync(taskId, run.Result.GetValue(force), ct).ConfigureAwait(false);
            run.Out.WriteLine($"Started {taskId}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Log(ActionFactory action)
    {
        Argument<string> id = IdArgument();
        var message = new Argument<string[]>("message") { Arity = ArgumentArity.OneOrMore, Description = "The log line (several words are joined with single spaces)" };
        var command = new Command("log", "Append a line to a task's log (checkpoints, handoffs)") { id, message };
        command.Action = action(async (run, ct) =>
        {
            string taskId = run.Id(id);
            await run.Store.AppendLogAsync(taskId, run.Text(message), ct).ConfigureAwait(false);
            run.Out.WriteLine($"Logged to {taskId}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Review(ActionFactory action) =>
        Change(action, "review", "Mark an in_progress task as reviewing (work finished, waiting to land)", (store, id, ct) => store.ReviewAsync(id, ct), id => $"Marked {id} as reviewing");

    private static Command Done(ActionFactory action) =>
        Change(action, "done", "Mark a task done", (store, id, ct) => store.DoneAsync(id, ct), id => $"Completed {id}");

    private static Command Open(ActionFactory action) =>
        Change(action, "open", "Put a task (back) to open, from any status", (store, id, ct) => store.OpenAsync(id, ct), id => $"Reopened {id}");

    private static Command Draft(ActionFactory action) =>
        Change(action, "draft", "Move a task to draft (never ready), from any status", (store, id, ct) => store.DraftAsync(id, ct), id => $"Moved {id} to draft");

    private static Command Cancel(ActionFactory action)
    {
        Argument<string> id = IdArgument();
        var reason = new Argument<string[]>("reason") { Arity = ArgumentArity.ZeroOrMore, Description = "Why (logged as 'Canceled: <reason>')" };
        var command = new Command("cancel", "Cancel a task; like done, it no longer holds up the tasks that wait for it") { id, reason };
        command.Action = action(async (run, ct) =>
        {
            string taskId = run.Id(id);
            string why = run.Text(reason);
            await run.Store.CancelAsync(taskId, why.Length == 0 ? null : why, ct).ConfigureAwait(false);
            run.Out.WriteLine(why.Length == 0 ? $"Canceled {taskId}" : $"Canceled {taskId}: {TaskText.Line(why)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command After(ActionFactory action)
    {
        Argument<string> id = IdArgument(description: "The task that should wait");
        Argument<string> dependency = IdArgument("dependency", "The task it waits for");
        var command = new Command("after", "Make a task wait for another (refused if that would close a cycle)") { id, dependency };
        command.Action = action(async (run, ct) =>
        {
            string taskId = run.Id(id);
            string dependencyId = run.Id(dependency);
            await run.Store.AddDependencyAsync(taskId, dependencyId, ct).ConfigureAwait(false);
            run.Out.WriteLine($"{taskId} now waits for {dependencyId}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Change(
        ActionFactory action,
        string name,
        string description,
        Func<Engine.Tasks.Builtin.BuiltinTaskStore, string, CancellationToken, Task> change,
        Func<string, string> done)
    {
        Argument<string> id = IdArgument();
        var command = new Command(name, description) { id };
        command.Action = action(async (run, ct) =>
        {
            string taskId = run.Id(id);
            await change(run.Store, taskId, ct).ConfigureAwait(false);
            run.Out.WriteLine(done(taskId));
            return ExitCodes.Success;
        });
        return command;
    }
}
