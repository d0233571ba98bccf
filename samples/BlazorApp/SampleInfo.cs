namespace BlazorApp;

/// <summary>What the sample shows about itself in its footer: where it keeps sessions.</summary>
/// <param name="Store">The store in use, in plain words ("memory (this process)").</param>
public sealed record SampleInfo(string Store);
