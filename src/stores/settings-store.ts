// Settings (manager): Stripe keys, MOTO, webhook receiver, station name, and staff accounts.
import { create } from 'zustand';
import type { Input, Role, Settings, User } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

interface SettingsState {
  settings: Settings | null;
  users: User[] | null;
  error: string | null;
  usersError: string | null;
  load(): Promise<void>;
  loadUsers(): Promise<void>;
  update(patch: Input<'settings:update'>): Promise<Settings>;
  setSecretKey(secretKey: string | null, managerPin: string): Promise<Settings>;
  createUser(name: string, role: Role, pin: string, managerPin: string): Promise<User>;
  updateUser(patch: Input<'users:update'>): Promise<User>;
  reset(): void;
}

const initial = { settings: null, users: null, error: null, usersError: null };

export const useSettingsStore = create<SettingsState>()((set, get) => {
  const after = async (settings: Settings) => {
    set({ settings });
    await useSessionStore.getState().refreshInfo();
    return settings;
  };
  const note = (e: unknown) => useSessionStore.getState().noteError(e);
  return {
    ...initial,
    async load() {
      try {
        set({ settings: await call('settings:get', {}), error: null });
      } catch (e) {
        note(e);
        set({ error: errorMessage(e) });
      }
    },
    async loadUsers() {
      try {
        set({ users: await call('users:list', {}), usersError: null });
      } catch (e) {
        note(e);
        set({ usersError: errorMessage(e) });
      }
    },
    async update(patch) {
      try {
        return await after(await call('settings:update', patch));
      } catch (e) {
        note(e);
        throw e;
      }
    },
    async setSecretKey(secretKey, managerPin) {
      try {
        return await after(await call('settings:setSecretKey', { secretKey, managerPin }));
      } catch (e) {
        note(e);
        throw e;
      }
    },
    async createUser(name, role, pin, managerPin) {
      const user = await call('users:create', { name, role, pin, managerPin });
      set({ users: [...(get().users ?? []), user] });
      return user;
    },
    async updateUser(patch) {
      const user = await call('users:update', patch);
      set({ users: (get().users ?? []).map((u) => (u.id === user.id ? user : u)) });
      return user;
    },
    reset() {
      set({ ...initial });
    },
  };
});
