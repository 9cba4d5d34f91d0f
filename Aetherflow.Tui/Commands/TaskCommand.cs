using System.CommandLine;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using ActionFactory = System.Func<System.Func<Aetherflow.Tui.Commands.TaskInvocation, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>>, System.CommandLine.Invocation.CommandLineAction>;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// <c>aetherflow task …</c>: the built-in task store from the command line, for people and for agents. It opens the
/// project's store directly (no engine needed); from inside an agent's worktree it finds the main project's store.
/// </summary>
internal static partial class TaskCommand
{
    private const string Subcommands = "add, list, ready, show, start, log, review, done, open, draft, cancel, after, learn, context";

    public static Command Create(CliHost host, ConfigResolver resolver)
    {
        ActionFactory action = run => new TaskCommandAction(host, resolver, run);
        var command = new Command("task", "Add, list, claim and finish tasks in the built-in store (works with or without a running engine)")
        {
            Action = action((_, _) => throw new TaskUsageException($"'aetherflow task' needs a subcommand: {Subcommands}")),
        };
        foreach (Command subcommand in new[]
        {
            Add(action), List(action), Ready(action), Show(action), Start(action), Log(action), Review(action), Done(action),
            Open(action), Draft(action), Cancel(action), After(action), Learn(action), Context(action),
        })
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }

    private static Command Add(ActionFactory action)
    {
        var title = new Argument<string[]>("title") { Arity = ArgumentArity.OneOrMore, Description = "What to do (several words are joined with single spaces)" };
        var priority = new Option<string>("--priority") { Description = $"Lower runs first: 0 to 99 (default {BuiltinTaskStore.DefaultPriority})", HelpName = "n" };
        var dod = new Option<string>("--dod") { Description = "Definition of done: when the task counts as finished", HelpName = "text" };
        var after = new Option<string[]>("--after") { Description = "A task this one waits for (repeatable)", HelpName = "id" };
        var draft = new Option<bool>("--draft") { Description = "Create it as a draft: never ready until 'aetherflow task open'" };
        var description = new Option<string>("--desc", "-d") { Description = "A longer description", HelpName = "text" };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label (repeatable); 'plan' makes its agent a planner", HelpName = "name" };
        var command = new Command("add", "Add a task and print its id") { title, priority, dod, after, draft, description, labels };
        command.Action = action(async (run, ct) =>
        {
            string[] dependencies = run.Result.GetValue(after) ?? [];
            string id = await run.Store.AddAsync(
                new NewTask
                {
                    Title = run.Text(title),
                    Priority = run.Integer(priority, 0, 99) ?? BuiltinTaskStore.DefaultPriority,
                    DefinitionOfDone = run.Result.GetValue(dod),
                    Description = run.Result.GetValue(description) ?? string.Empty,
                    Draft = run.Result.GetValue(draft),
                    Labels = run.Result.GetValue(labels) ?? [],
                    Dependencies = dependencies,
                },
                ct).ConfigureAwait(false);
            run.Out.WriteLine(id);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(ActionFactory action)
    {
        var status = new Option<string>("--status") { Description = $"Only tasks in this status ({TaskStatusNames.ValidNames})", HelpName = "status" };
        Option<bool> json = JsonOption();
        var command = new Command("list", "List tasks by priority, then age") { status, json };
        command.Action = action(async (run, ct) =>
        {
            IReadOnlyList<TrackerTaskDetail> tasks = await run.Store.ListDetailsAsync(run.Status(status), ct).ConfigureAwait(false);
            Write(run, json, tasks, TaskText.WriteList);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Ready(ActionFactory action)
    {
        Option<bool> json = JsonOption();
        var command = new Command("ready", "List the tasks an agent may start now: open, with every dependency done or canceled") { json };
        command.Action = action(async (run, ct) =>
        {
            IReadOnlyList<TrackerTask> ready = await run.Store.ListReadyAsync(ct).ConfigureAwait(false);
            Dictionary<string, TrackerTaskDetail> open = (await run.Store.ListDetailsAsync(TrackerTaskState.Open, ct).ConfigureAwait(false))
                .ToDictionary(t => t.Id, StringComparer.Ordinal);
            List<TrackerTaskDetail> tasks = [.. ready.Where(t => open.ContainsKey(t.Id)).Select(t => open[t.Id])];
            Write(run, json, tasks, TaskText.WriteReady);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(ActionFactory action)
    {
        Argument<string> id = IdArgument();
        Option<bool> json = JsonOption();
        var command = new Command("show", "Show one task with its description, definition of done, dependencies and log") { id, json };
        command.Action = action(async (run, ct) =>
        {
            TrackerTaskDetail task = await run.Store.GetAsync(run.Id(id), ct).ConfigureAwait(false);
            if (run.Result.GetValue(json))
            {
                run.Json(TaskJson.WithLogs(task), CliJson.Indented.TaskEntry);
                return ExitCodes.Success;
            }

            var dependencies = new List<TrackerTaskDetail>();
            foreach (string dependency in task.Dependencies)
            {
                dependencies.Add(await run.Store.GetAsync(dependency, ct).ConfigureAwait(false));
            }

            TaskText.WriteShow(run.Out, task, dependencies);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(TaskInvocation run, Option<bool> json, IReadOnlyList<TrackerTaskDetail> tasks, Action<TextWriter, IReadOnlyList<TrackerTaskDetail>> writeText)
    {
        if (run.Result.GetValue(json))
        {
            run.Json(tasks.Select(TaskJson.From).ToList(), CliJson.Indented.ListTaskEntry);
        }
        else
        {
            writeText(run.Out, tasks);
        }
    }

    private static Argument<string> IdArgument(string name = "id", string description = "The task's id, e.g. ts-1a2b3c") =>
        new(name) { Description = description };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (snake_case) instead of text" };
}
