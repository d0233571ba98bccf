namespace TypedSessions.Serialization;

/// <summary>The outcome of reading a slot: always a usable value, and what happened on the way.</summary>
/// <typeparam name="T">The state type.</typeparam>
/// <param name="Value">The state read, or the default instance when <paramref name="Status"/> is <see cref="SessionReadStatus.Invalid"/>.</param>
/// <param name="Status">Whether the bytes matched the current schema, an older one, or could not be read.</param>
/// <param name="Error">Why the bytes could not be read; <see langword="null"/> unless invalid.</param>
public readonly record struct SessionReadResult<T>(T Value, SessionReadStatus Status, string? Error);
