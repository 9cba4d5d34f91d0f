using Aetherflow.Engine.Api;
using Aetherflow.Engine.Text;
using Aetherflow.Tui.Ui.Attach;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Views;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// What the keys ask of the engine: pool mode, stop, steer, spawn, attach, permission answers. Each reports its result
/// or the engine's one-line error on the flash line — never a silent no-op.
/// </summary>
internal sealed partial class DashboardController
{
    private void SetMode(PoolMode mode)
    {
        string word = Word(mode);
        if (snapshot.Mode == mode)
        {
            Flash($"the pool is already {word}", FlashKind.Info);
            return;
        }

        Run(async ct =>
        {
            PoolMode result = await engine.SetPoolModeAsync(mode, ct).ConfigureAwait(false);
            return $"pool {Word(result)}" + mode switch
            {
                PoolMode.Draining => ": no new tasks; crashed agents are still respawned",
                PoolMode.Paused => ": no new tasks, no respawns; running agents go on",
                _ => ": scheduling tasks again",
            };
        });
    }

    private void AskStop()
    {
        if (RequireAgent() is not { } agent)
        {
            return;
        }

        if (agent.Activity == AgentActivity.Exited)
        {
            Flash($"{agent.Name} has already exited", FlashKind.Info);
            return;
        }

        string name = agent.Name;
        void Stop() => Run(async ct =>
        {
            await engine.StopAgentAsync(name, options.Sender, ct).ConfigureAwait(false);
            return $"stopping {name}";
        });
        if (options.NoConfirm)
        {
            Stop();
            return;
        }

        string after = agent.Origin == AgentOrigin.Pool ? $" Its task {TerminalText.SanitizeLine(agent.TaskId)} goes back to open." : string.Empty;
        Ask(Question.YesNo($"Stop {name}?{after}", Stop));
    }

    private void OpenSteer()
    {
        if (RequireAgent() is { } agent)
        {
            Open(new Prompt(PromptKind.Steer, $"steer {agent.Name} › ", state.Messages, agent.Name));
        }
    }

    private void Steer(string agent, string message) => Run(async ct =>
    {
        await engine.SteerAsync(agent, message, options.Sender, ct).ConfigureAwait(false);
        return $"sent to {agent}";
    });

    private void Spawn(string promptText) => Run(async ct =>
    {
        AgentInfo spawned = await engine.SpawnAsync(new SpawnRequest { Prompt = promptText, RequestedBy = options.Sender }, ct).ConfigureAwait(false);
        context.Loop.Post(() =>
        {
            if (Current is DashboardView)
            {
                Root.SelectAgent(spawned.Name);
            }
        });
        return $"spawned {spawned.Name} ({spawned.TaskId})";
    });

    private void Attach()
    {
        // In the sessions view a session whose agent is gone can still be opened: it is attached by its id.
        if (Current.SelectedAgent is null && Current is SessionsView { SelectedSession: { } session })
        {
            string id = session.SessionId;
            Run(async ct => AttachTo(id, await engine.GetSessionAttachAsync(id, ct).ConfigureAwait(false)));
            return;
        }

        if (RequireAgent() is not { } agent)
        {
            return;
        }

        string name = agent.Name;
        Run(async ct => AttachTo(name, await engine.GetAgentAttachAsync(name, ct).ConfigureAwait(false)));
    }

    private string AttachTo(string label, SessionAttachInfo info)
    {
        context.Loop.Post(() =>
        {
            state.Attach = new AttachRequest(label, info);
            RequestStop();
        });
        return $"attaching to {label}…";
    }

    private void AskPermission()
    {
        if (RequireAgent() is not { } agent)
        {
            return;
        }

        string name = agent.Name;
        Run(async ct =>
        {
            AgentDetail detail = await engine.GetAgentAsync(name, ct).ConfigureAwait(false);
            if (detail.PendingPermissions.Count == 0)
            {
                return $"{name} is not waiting for a permission";
            }

            PermissionRequestInfo asked = detail.PendingPermissions[0];
            string what = $"{name} asks {TerminalText.SanitizeLine(asked.Permission)} {TerminalText.SanitizeLine(string.Join(", ", asked.Patterns))}:";
            context.Loop.Post(() => Ask(new Question(what,
            [
                new Question.Choice('o', "once", () => Answer(name, PermissionReply.Once)),
                new Question.Choice('a', "always", () => Answer(name, PermissionReply.Always)),
                new Question.Choice('r', "reject", () => Answer(name, PermissionReply.Reject)),
                new Question.Choice('n', "not now", null),
            ])));
            return string.Empty;
        });
    }

    private void Answer(string agent, PermissionReply reply) => Run(async ct =>
    {
        PermissionRequestInfo answered = await engine.AnswerPermissionAsync(agent, reply, ct).ConfigureAwait(false);
        return $"{agent}: {answered.Permission} answered '{reply.ToString().ToLowerInvariant()}'";
    });

    // Runs an engine call off the UI thread; its result (or error) lands on the flash line.
    private void Run(Func<CancellationToken, Task<string>> call) => _ = RunAsync(call, stopping.Token);

    private async Task RunAsync(Func<CancellationToken, Task<string>> call, CancellationToken cancellationToken)
    {
        try
        {
            string done = await call(cancellationToken).ConfigureAwait(false);
            if (done.Length > 0)
            {
                context.Loop.Post(() => Flash(done, FlashKind.Info));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The dashboard is closing.
        }
        catch (Exception ex)
        {
            context.Logger.LogWarning(ex, "A dashboard action failed");
            string message = ErrorText(ex);
            context.Loop.Post(() => Flash(message, FlashKind.Error));
        }
    }

    private static string ErrorText(Exception ex) => ex switch
    {
        ConnectionLostException => "the engine connection is lost (did the engine stop?)",
        RemoteInvocationException remote => remote.Message,
        _ => ex.Message,
    };

    private static string Word(PoolMode mode) => mode switch
    {
        PoolMode.Draining => "draining",
        PoolMode.Paused => "paused",
        _ => "active",
    };
}
