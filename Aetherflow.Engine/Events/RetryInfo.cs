namespace Aetherflow.Engine.Events;

/// <summary>A model call that failed and is being retried (<c>session.status</c> <c>{"type":"retry",attempt,message,next}</c>).</summary>
/// <param name="Attempt">The attempt number opencode reports.</param>
/// <param name="Message">Why it is retrying, one sanitised line.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
public sealed record RetryInfo(int Attempt, string Message, DateTimeOffset? NextAttemptAt);
