package app.regulars.access;

/** A principal that knows which {@link Caller} it stands for: a signed-in user or an API key. */
interface CallerSource {
    Caller caller();
}
