using Aetherflow.Engine.Api;

namespace Aetherflow.Tui.Ui.Attach;

/// <summary>The user pressed <c>a</c>: suspend the dashboard and run <c>opencode attach</c> on a session.</summary>
/// <param name="Agent">The agent's name (or the session id when no agent runs in it), for the message after coming back.</param>
/// <param name="Info">Where the session is and how to authenticate.</param>
internal sealed record AttachRequest(string Agent, SessionAttachInfo Info);
