namespace TypedSessions.Stores;

/// <summary>
/// Marks a store whose every call is a round trip to another server (Redis): the runtime remembers the
/// slots it last read or wrote there (<see cref="Core.RecentSlots"/>), so that an update can skip its load
/// when the remembered copy is still current. A store in this process gains nothing from it.
/// </summary>
internal interface IRoundTripSessionStore : ISessionStore;
