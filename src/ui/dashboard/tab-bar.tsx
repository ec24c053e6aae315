/**
 * The dashboard's tab bar: Credentials, Access, Activity, Settings. Every part stays
 * on the page (so a link, a test or a screen reader finds any of them), and the bar
 * stays at the top: choosing a tab brings its part into view and moves focus there.
 * `#access` in the address (the popup links there) opens at that part.
 */
import { useEffect, useState } from 'preact/hooks';

export const DASHBOARD_TABS = [
  { id: 'credentials', label: 'Credentials' },
  { id: 'access', label: 'Access' },
  { id: 'activity', label: 'Activity' },
  { id: 'settings', label: 'Settings' },
] as const;
export type DashboardTab = (typeof DASHBOARD_TABS)[number]['id'];

function tabOfHash(hash: string): DashboardTab | null {
  const id = hash.replace(/^#/, '');
  return DASHBOARD_TABS.some((tab) => tab.id === id) ? (id as DashboardTab) : null;
}

function show(id: DashboardTab): void {
  const target = document.getElementById(id);
  if (!target) return;
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

export function TabBar() {
  const [current, setCurrent] = useState<DashboardTab>(() => tabOfHash(location.hash) ?? 'credentials');
  useEffect(() => {
    // Opened at `#access`: the parts render after the wallet answers, so look once they are there.
    const initial = tabOfHash(location.hash);
    if (initial) requestAnimationFrame(() => show(initial));
    const onHash = () => {
      const tab = tabOfHash(location.hash);
      if (tab) {
        setCurrent(tab);
        show(tab);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <nav class="tab-bar" aria-label="Dashboard">
      <ul>
        {DASHBOARD_TABS.map((tab) => (
          <li key={tab.id}>
            <a
              href={`#${tab.id}`}
              class={tab.id === current ? 'tab tab-current' : 'tab'}
              data-testid={`tab-${tab.id}`}
              aria-current={tab.id === current ? 'true' : undefined}
              onClick={(event) => {
                event.preventDefault();
                history.replaceState(null, '', `#${tab.id}`);
                setCurrent(tab.id);
                show(tab.id);
              }}
            >
              {tab.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
