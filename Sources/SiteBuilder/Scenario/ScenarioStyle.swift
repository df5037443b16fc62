/// The stylesheet part for scenarios on lesson pages (see `ScenarioHTML` for the markup).
public enum ScenarioStyle {
    /// CSS for `.ab-scenario`, its badge, listing, outputs and the predict/reveal element.
    public static let css = """
        .ab-scenario { margin: 0 0 1.25rem; }
        .ab-badge { margin: 0 0 0.25rem; font-size: 0.8rem; color: var(--muted); }
        .ab-badge span { color: #2b7a0b; font-weight: 700; }
        .ab-listing { margin-bottom: 0.5rem; }
        .ab-line { display: block; }
        .ab-out { color: var(--muted); border-left: 3px solid var(--accent); padding-left: 0.5rem;
          margin-left: 0.1rem; white-space: pre-wrap; }
        .ab-verbatim { white-space: pre; width: max-content; min-width: 100%; }
        .ab-mark { color: var(--accent); }
        .ab-comment { color: var(--tok-com); }
        .ab-reveal { margin: 0 0 1rem; }
        .ab-reveal > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
        .ab-reveal[open] > summary { margin-bottom: 0.5rem; }
        @media print {
          .ab-reveal > summary { display: none; }
          .ab-out { border-left: 2px solid #000; color: #000; }
        }

        """
}
