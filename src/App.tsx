// The console: first-run setup, sign-in, or the signed-in shell — always under the mode bar.
import { useEffect } from 'react';
import { ModeBar } from './components/ModeBar';
import { ErrorNote, Loading } from './components/States';
import { Toasts } from './components/Toasts';
import { SetupScreen } from './features/auth/SetupScreen';
import { SignInScreen } from './features/auth/SignInScreen';
import { Shell } from './features/shell/Shell';
import { useSessionStore } from './stores/session-store';
import { useFollowShopSettings } from './stores/shop-follow';

export function App() {
  const status = useSessionStore((s) => s.status);
  const info = useSessionStore((s) => s.info);
  const user = useSessionStore((s) => s.user);
  const needsSetup = useSessionStore((s) => s.needsSetup);
  const loadError = useSessionStore((s) => s.loadError);
  const load = useSessionStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);
  useFollowShopSettings(!!user);

  return (
    <div className={`app ${info?.mode === 'live' ? 'app--live' : ''}`}>
      {info && <ModeBar mode={info.mode} station={info.station} />}
      {status === 'loading' && !info && (
        <main className="auth">
          <Loading label="Starting the console…" />
        </main>
      )}
      {status === 'error' && (
        <main className="auth">
          <div className="auth__card">
            <h1>The console can’t start</h1>
            <ErrorNote onRetry={() => void load()}>{loadError}</ErrorNote>
          </div>
        </main>
      )}
      {status === 'ready' && (needsSetup ? <SetupScreen /> : user ? <Shell /> : <SignInScreen />)}
      <Toasts />
    </div>
  );
}
