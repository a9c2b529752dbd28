// Staff accounts (manager): add staff or managers with a PIN, change role, disable, reset PIN.
import { useEffect, useState } from 'react';
import type { Role, User } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { usePinConfirm } from '../../components/PinConfirm';
import { ErrorNote, Loading } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { useSessionStore } from '../../stores/session-store';
import { useSettingsStore } from '../../stores/settings-store';
import { LIMITS, pinError, tooLong } from '../../lib/validation';
import { toast } from '../../stores/toast-store';

const nameError = (name: string): string | null =>
  !name.trim() ? 'Enter a name.' : tooLong(name.trim(), LIMITS.userName);

type Ask = (what: string, action?: (pin: string) => Promise<void>) => Promise<string | null>;

function AddUser({ ask }: { ask: Ask }) {
  const createUser = useSettingsStore((s) => s.createUser);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const shownName = tried || name.length > LIMITS.userName ? nameError(name) : null;
  const shownPin = tried || pin.length >= LIMITS.pinMin ? pinError(pin) : null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    // What is wrong is said at each field; nothing stale stays behind the confirm dialog.
    setError(null);
    if (nameError(name) || pinError(pin)) return;
    let created: User | null = null;
    const managerPin = await ask(`Add ${name.trim()} as ${role}.`, async (mp) => {
      created = await createUser(name.trim(), role, pin, mp);
    });
    if (!managerPin || !created) return;
    const u: User = created;
    toast(`${u.name} can now sign in as ${u.role}.`, 'success');
    setName('');
    setPin('');
    setRole('staff');
    setTried(false);
  };
  return (
    <form className="form add-user" onSubmit={submit} aria-label="Add a staff account" noValidate>
      <h3>Add an account</h3>
      <div className="grid-4">
        <Field label="New account name" error={shownName}>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Role">
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="staff">Staff</option>
            <option value="manager">Manager</option>
          </select>
        </Field>
        <Field label="New account PIN" hint="4 to 8 digits" error={shownPin}>
          <PinInput value={pin} onChange={setPin} name="new-pin" />
        </Field>
        <div className="field field--button">
          <button type="submit" className="btn btn--primary">
            Add account
          </button>
        </div>
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
    </form>
  );
}

function ResetPin({ user, onClose }: { user: User; onClose: () => void }) {
  const updateUser = useSettingsStore((s) => s.updateUser);
  const [pin, setPin] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!/^\d{4,8}$/.test(pin)) return setError('The PIN is 4 to 8 digits.');
    if (!/^\d{4,8}$/.test(managerPin)) return setError('Enter your own PIN to confirm.');
    try {
      await updateUser({ userId: user.id, pin, managerPin });
      toast(`${user.name}’s PIN was changed.`, 'success');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Dialog title={`Reset ${user.name}’s PIN`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field label="New PIN" hint="4 to 8 digits. Tell it to them in person.">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        <Field label="Your manager PIN">
          <PinInput value={managerPin} onChange={setManagerPin} name="manager-pin" />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary">
            Save PIN
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function StaffAccounts() {
  const users = useSettingsStore((s) => s.users);
  const usersError = useSettingsStore((s) => s.usersError);
  const loadUsers = useSettingsStore((s) => s.loadUsers);
  const updateUser = useSettingsStore((s) => s.updateUser);
  const me = useSessionStore((s) => s.user);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const { ask, dialog } = usePinConfirm();

  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  const change = async (patch: Omit<Parameters<typeof updateUser>[0], 'managerPin'>, done: string) => {
    // A wrong PIN (or a refusal) is said in the confirm dialog, which stays open for another try.
    const managerPin = await ask(done.replace(/\.$/, '') + '?', async (mp) => {
      await updateUser({ ...patch, managerPin: mp });
    });
    if (managerPin) toast(done, 'success');
  };

  return (
    <section className="panel" aria-labelledby="staff-title">
      <div className="panel__head">
        <h2 id="staff-title">Staff accounts</h2>
      </div>
      {usersError && <ErrorNote onRetry={() => void loadUsers()}>{usersError}</ErrorNote>}
      {!users && !usersError && <Loading />}
      {users && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td className="strong">
                  {u.name} {u.id === me?.id && <span className="muted small">(you)</span>}
                </td>
                <td>
                  <select
                    className="input input--small"
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    disabled={u.id === me?.id}
                    onChange={(e) =>
                      void change(
                        { userId: u.id, role: e.target.value as Role },
                        `${u.name} is now ${e.target.value}.`,
                      )
                    }
                  >
                    <option value="staff">Staff</option>
                    <option value="manager">Manager</option>
                  </select>
                </td>
                <td>
                  {u.disabled ? (
                    <span className="badge badge--bad">Disabled</span>
                  ) : (
                    <span className="badge badge--good">Active</span>
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => setResetFor(u)}
                    aria-label={`Reset PIN for ${u.name}`}
                  >
                    Reset PIN
                  </button>
                  {u.id !== me?.id && (
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}
                      onClick={() =>
                        void change(
                          { userId: u.id, disabled: !u.disabled },
                          `${u.name} is ${u.disabled ? 'enabled' : 'disabled'}.`,
                        )
                      }
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddUser ask={ask} />
      {resetFor && <ResetPin user={resetFor} onClose={() => setResetFor(null)} />}
      {dialog}
    </section>
  );
}
