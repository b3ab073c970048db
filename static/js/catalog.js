// The hub's public catalogue: camps (with rooms and zones), experts and topics, loaded
// once per page from the public API and looked up by id.

import { get } from './api.js';

export class Catalog {
  constructor() {
    this.camps = [];
    this.experts = [];
    this.topics = [];
    this.campById = new Map();
    this.roomById = new Map();
    this.expertById = new Map();
  }

  static async load({ topics = false } = {}) {
    const c = new Catalog();
    await c.reload({ topics });
    return c;
  }

  async reload({ topics = false } = {}) {
    const [camps, experts, topicList] = await Promise.all([
      get('/api/v1/camps'),
      get('/api/v1/experts'),
      topics ? get('/api/v1/topics') : Promise.resolve({ topics: [] }),
    ]);
    this.camps = camps.camps;
    this.experts = experts.experts;
    this.topics = topicList.topics;
    this.campById = new Map(this.camps.map((c) => [c.id, c]));
    this.roomById = new Map();
    for (const camp of this.camps) for (const room of camp.rooms) this.roomById.set(room.id, { ...room, camp_id: camp.id });
    this.expertById = new Map(this.experts.map((e) => [e.id, e]));
  }

  camp(id) {
    return this.campById.get(id);
  }

  room(id) {
    return this.roomById.get(id);
  }

  expert(id) {
    return this.expertById.get(id);
  }

  zoneOf(campId) {
    return this.camp(campId)?.zone || 'Europe/Berlin';
  }
}
